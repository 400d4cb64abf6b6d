#pragma once

#include "appearance.h"
#include "hostingtray.h"
#include "joinlink.h"
#include "landirectory.h"
#include "networkserversmodel.h"
#include "profile.h"
#include "recentrooms.h"
#include "roomhandover.h"
#include "roomhost.h"
#include "session.h"
#include "startupoptions.h"
#include "windowplacement.h"

#include <QColor>
#include <QObject>
#include <QRect>
#include <QtQmlIntegration/qqmlintegration.h>

#include <optional>

QT_BEGIN_NAMESPACE
class QQmlEngine;
class QJSEngine;
QT_END_NAMESPACE

namespace inkroom::ui {

/** @brief The app as QML sees it: who you are, the room you are in, the room you host, where you have been.
 *
 * It owns the lifetimes: the one Session (which joins and leaves rooms) and the RoomHost (the server this computer
 * runs for a hosted room). QML never starts, joins or stops anything itself: it calls the verbs here (join(),
 * host(), leave(), submitPassword()) and binds to page, roomName, link and the errors, which are sentences for
 * people. The command line's --join LINK / LINK and --host [--room NAME] are acted on by the constructor.
 *
 * Remembers the recent rooms and the room last hosted (QSettings); who the user is (profile) and where the window
 * was left (savedWindow) are objects of their own.
 */
class AppController : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(App)
    QML_SINGLETON
    Q_PROPERTY(inkroom::ui::Profile *profile READ profile CONSTANT)
    //! Colours that read well on the board, for the pickers.
    /** The name and colour were chosen once (typed, picked, or used to open a room) and are remembered: the start
     *  page shows them without asking again. */
    //! The room name the host field starts with: the room hosted last time, else a suggestion ("Room 4217").
    Q_PROPERTY(QString hostRoomName READ hostRoomName NOTIFY hostRoomNameChanged)
    //! Which page to show: the start page, or the room (session) the app is in.
    Q_PROPERTY(Page page READ page NOTIFY pageChanged)
    //! The connection to the room: state, models and board verbs. Always the same object; idle on the start page.
    Q_PROPERTY(inkroom::client::Session *session READ session CONSTANT)
    //! The room the app is in ("" on the start page).
    Q_PROPERTY(QString roomName READ roomName NOTIFY roomChanged)
    //! The room the app is in is served by this computer (App.host()).
    Q_PROPERTY(bool hosting READ hosting NOTIFY roomChanged)
    //! The link people on the network use to join the room hosted here; "" when not hosting it.
    Q_PROPERTY(QString link READ link NOTIFY linkChanged)
    /** The hosted room as a short code people can read aloud ("K7F-Q2M"), typed on their start page instead of the
     *  link; "" when not hosting. */
    Q_PROPERTY(QString joinCode READ joinCode NOTIFY linkChanged)
    //! Why the last join() did not go anywhere, in plain words; "" when it did.
    Q_PROPERTY(QString joinError READ joinError NOTIFY joinErrorChanged)
    //! Why the last host() did not open a room, in plain words; "" when it did or is still starting.
    Q_PROPERTY(QString hostError READ hostError NOTIFY hostErrorChanged)
    //! host() is waiting for the server to start (or for the last one to stop first).
    Q_PROPERTY(bool hostPending READ hostPending NOTIFY hostPendingChanged)
    //! The server this computer runs for a hosted room (status, fingerprint), for display.
    Q_PROPERTY(inkroom::ui::RoomHost *roomHost READ roomHost NOTIFY roomChanged)
    //! This app standing by for a room, and serving one it took over (docs: README "Hosting a room").
    Q_PROPERTY(inkroom::ui::RoomHandover *handover READ handover CONSTANT)
    //! The rooms joined or hosted before, most recent first.
    Q_PROPERTY(inkroom::ui::RecentRooms *recentRooms READ recentRooms CONSTANT)
    //! Light, dark or the system's (View > Appearance).
    Q_PROPERTY(inkroom::ui::Appearance *appearance READ appearance CONSTANT)
    //! The Inkroom servers on this network, live, with their open rooms ("On this network").
    Q_PROPERTY(inkroom::client::NetworkServersModel *networkServers READ networkServers CONSTANT)
    //! A room hosted here is announced on this network (a setting, on by default), so others see it in their list.
    Q_PROPERTY(bool announceHostedRooms READ announceHostedRooms WRITE setAnnounceHostedRooms NOTIFY
                   announceHostedRoomsChanged)
    /** For the banner: "matches the fingerprint announced on this network" once the room joined from the list is
     *  connected with the announced certificate; "" otherwise. */
    Q_PROPERTY(QString trustNote READ trustNote NOTIFY trustNoteChanged)
    Q_PROPERTY(inkroom::ui::SavedWindow *savedWindow READ savedWindow CONSTANT)
    Q_PROPERTY(QString version READ version CONSTANT)
    // ---- leaving a hosted room (docs: README "Hosting a room") ----
    //! Leave, closing the window or Ctrl+Q while hosting asks first: keep serving in the background, or close for all.
    Q_PROPERTY(LeaveQuestion leaveQuestion READ leaveQuestion NOTIFY leaveQuestionChanged)
    //! The room this computer serves while the app is not in it ("" when none): the start page says it still hosts.
    Q_PROPERTY(QString backgroundRoom READ backgroundRoom NOTIFY hostingChanged)
    //! People in the room hosted here other than this user, now.
    Q_PROPERTY(int hostedPeople READ hostedPeople NOTIFY hostingChanged)
    //! "“design” for 4 people" ("Still hosting …"), for the still-hosting state; "" when hosting nothing.
    Q_PROPERTY(QString hostingText READ hostingText NOTIFY hostingChanged)
    //! Serving in the background puts Inkroom in the system tray (else the window stays, saying it still hosts).
    Q_PROPERTY(bool trayAvailable READ trayAvailable CONSTANT)
    //! The window is tucked away in the tray while a room is served in the background.
    Q_PROPERTY(bool windowHidden READ windowHidden NOTIFY windowHiddenChanged)

public:
    enum Page {
        Start,
        Room
    };
    Q_ENUM(Page)
    //! What the leave question is about: nothing asked, leaving the hosted room, or quitting the app.
    enum LeaveQuestion {
        NoQuestion,
        Leaving,
        Quitting
    };
    Q_ENUM(LeaveQuestion)

    /** No default constructor on purpose: QML must get the instance main() made, through create().
     *  Joins options.join, or hosts when options.host, at once. */
    explicit AppController(const StartupOptions &options, QObject *parent = nullptr);
    ~AppController() override;

    /** The instance the engine's QML gets as App. Each engine may have its own (the end-to-end test runs two
     *  apps in one process); the engine never owns it. */
    static void attach(QQmlEngine &engine, AppController *controller);
    static AppController *create(QQmlEngine *engine, QJSEngine *script);
    //! Where the app's main QML file lives (in the resources).
    [[nodiscard]] static QUrl mainQmlUrl();

    [[nodiscard]] Profile *profile() { return &m_profile; }
    [[nodiscard]] SavedWindow *savedWindow() { return &m_savedWindow; }
    [[nodiscard]] QString hostRoomName() const { return m_hostRoomName; }
    [[nodiscard]] Page page() const { return m_page; }
    [[nodiscard]] client::Session *session() { return &m_session; }
    [[nodiscard]] QString roomName() const { return m_room.room; }
    [[nodiscard]] bool hosting() const { return m_hosting; }
    [[nodiscard]] QString link() const;
    [[nodiscard]] QString joinCode() const;
    [[nodiscard]] QString joinError() const { return m_joinError; }
    [[nodiscard]] QString hostError() const { return m_hostError; }
    [[nodiscard]] bool hostPending() const { return m_pendingHost.has_value(); }
    [[nodiscard]] RoomHost *roomHost() { return &serving(); }
    [[nodiscard]] RoomHandover *handover() { return &m_handover; }
    [[nodiscard]] RecentRooms *recentRooms() { return &m_recent; }
    [[nodiscard]] Appearance *appearance() { return &m_appearance; }
    [[nodiscard]] client::NetworkServersModel *networkServers() { return &m_networkServers; }
    [[nodiscard]] bool announceHostedRooms() const { return m_announceHostedRooms; }
    [[nodiscard]] QString trustNote() const;
    void setAnnounceHostedRooms(bool announce);
    //! Where sessions keep their outbox journals.
    [[nodiscard]] QString stateDirectory() const { return m_stateDirectory; }
    //! The fingerprints of the servers this user trusted (Session::knownServersFile).
    [[nodiscard]] QString knownServersFile() const { return m_knownServersFile; }
    [[nodiscard]] static QString version();
    [[nodiscard]] LeaveQuestion leaveQuestion() const { return m_leaveQuestion; }
    [[nodiscard]] QString backgroundRoom() const { return m_backgroundRoom; }
    [[nodiscard]] int hostedPeople() const;
    [[nodiscard]] QString hostingText() const;
    [[nodiscard]] static bool trayAvailable() { return HostingTray::available(); }
    [[nodiscard]] bool windowHidden() const { return m_windowHidden; }

    /** Go to a room: an inkroom:// link (room empty), a join code of a room on this network (room empty), or a
     *  server address as people type it and a room name.
     *  Leaves the room the app is in first. Input that names no room sets joinError and changes nothing else. */
    Q_INVOKABLE void join(const QString &linkOrAddress, const QString &room = QString(),
                          const QString &password = QString());
    /** Join a room of a server listed in networkServers, by its name there: its announced certificate fingerprint is
     *  the one expected (unless another is pinned for it). Sets joinError when the server has gone. */
    Q_INVOKABLE void joinFromNetwork(const QString &serverName, const QString &room,
                                     const QString &password = QString());
    /** Host a room on this computer and go to it: starts the server (or uses the one running), then joins it,
     *  trusting its certificate. Sets hostError when the name is not valid or the server cannot start. The name is
     *  remembered for next time (hostRoomName). */
    Q_INVOKABLE void host(const QString &room, const QString &password = QString());
    /** Open a room of recentRooms again by its link: one hosted here is hosted again (its board and chat are kept on
     *  this computer), another is joined. */
    Q_INVOKABLE void openRecent(const QString &link);
    /** Back to the start page: leave the room, cancel a host() under way. In a room hosted here it only asks
     *  (leaveQuestion Leaving): keepServing() or closeForEveryone() answer, cancelLeave() stays. */
    Q_INVOKABLE void leave();
    /** Ctrl+Q or the window's close button: quits at once (true) unless a room is hosted here; then it asks
     *  (leaveQuestion Quitting) and returns false. */
    Q_INVOKABLE bool quit();
    /** The answer "keep serving": leave the room (if in it) and go on serving it in the background, listed on the
     *  network although its host is not in it; quitting, the window goes to the tray when there is one. */
    Q_INVOKABLE void keepServing();
    /** The answer "close it for everyone", and Stop hosting: every member is told "<name> closed the room." and does
     *  not reconnect; the server stops. Quitting, the app quits next. */
    Q_INVOKABLE void closeForEveryone();
    /** Hand the hosted room to a member whose app can serve it, and leave once it has moved there (the server
     *  stops then). Refused by the server (the user is told why): the app stays in the room. */
    Q_INVOKABLE void handOverAndLeave(const QString &clientId);
    //! Neither: stay where you are.
    Q_INVOKABLE void cancelLeave();
    //! Go back into the room served in the background.
    Q_INVOKABLE void openHostedRoom();
    //! Bring the window back from the tray.
    Q_INVOKABLE void showWindow();
    //! The room asked for a password (or refused the one given): join it again with this one.
    Q_INVOKABLE void submitPassword(const QString &password);
    Q_INVOKABLE void copyToClipboard(const QString &text) const;
    //! A short, friendly room name suggestion for hosting ("Room 4217").
    Q_INVOKABLE [[nodiscard]] QString suggestRoomName() const;

Q_SIGNALS:
    void hostRoomNameChanged();
    void pageChanged();
    void roomChanged();
    void linkChanged();
    void joinErrorChanged();
    void hostErrorChanged();
    void hostPendingChanged();
    void announceHostedRoomsChanged();
    void trustNoteChanged();
    void leaveQuestionChanged();
    void hostingChanged();
    void windowHiddenChanged();

private:
    struct PendingHost
    {
        QString room;
        QString password;
    };
    //! Join target (remembered as a recent room), as the host of its server or not.
    //! The server and room on this network whose join code is code; false when there is none.
    bool findJoinCode(const QString &code, QString *server, QString *room) const;
    void openRoom(const JoinTarget &target, const QString &password, bool hosting,
                  const QString &expectedFingerprint = QString());
    void onHostStatusChanged();
    //! This app's RoomHandover took the room over: it is the room's host from now on.
    void onTakenOver();
    void onRoomMoved(const QUrl &url);
    //! The server of the room hosted here: the one started for it, or the one that took it over.
    [[nodiscard]] RoomHost &serving();
    [[nodiscard]] const RoomHost &serving() const;
    //! Forget a host() still waiting for its server, and stop that server (it was started for it alone).
    void cancelHostRequest();
    void setPage(Page page);
    //! Save the name and colour as this user's from now on.
    void setJoinError(const QString &error);
    void setHostError(const QString &error);
    //! Leave the room now, without asking; a room hosted here is closed for everyone.
    void leaveRoom();
    void setLeaveQuestion(LeaveQuestion question);
    void setWindowHidden(bool hidden);
    //! The room served in the background changed (or its people): the tray and the state follow.
    void updateHosting();

    Profile m_profile;
    QString m_hostRoomName;
    QString m_stateDirectory;
    QString m_knownServersFile;
    SavedWindow m_savedWindow;

    Appearance m_appearance; //!< applies the remembered palette before any window shows

    // Declared in this order so the session is destroyed (and has left) before the server it may be connected to.
    RecentRooms m_recent;
    client::LanDirectory m_lan;
    client::NetworkServersModel m_networkServers {&m_lan};
    bool m_lanEnabled = false;
    bool m_leaveWhenMoved = false; //!< handOverAndLeave(): leave once the room has moved
    bool m_announceHostedRooms = true;
    QString m_announcedFingerprint; //!< the room was joined from the list, expecting this announced certificate
    RoomHost m_host;
    client::Session m_session;
    RoomHandover m_handover {&m_session};

    Page m_page = Start;
    JoinTarget m_room; //!< the room the session is in (valid on the room page)
    bool m_hosting = false;
    bool m_takenOver = false; //!< the room hosted here is served by m_handover's server (taken over)
    std::optional<PendingHost> m_pendingHost;
    LeaveQuestion m_leaveQuestion = NoQuestion;
    QString m_backgroundRoom; //!< served here while the app is not in it
    QString m_hostedPassword; //!< the password the hosted room was opened with (to go back in)
    bool m_windowHidden = false;
    HostingTray m_tray;
    QString m_joinError;
    QString m_hostError;
};

} // namespace inkroom::ui
