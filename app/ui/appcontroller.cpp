#include "appcontroller.h"

#include "joincode.h"
#include "knownservers.h"
#include "protocol.h"

#include <QClipboard>
#include <QCoreApplication>
#include <QGuiApplication>
#include <QQmlEngine>
#include <QRandomGenerator>
#include <QSettings>
#include <QStandardPaths>

#include <utility>

using namespace Qt::StringLiterals;

namespace inkroom::ui {

namespace {

constexpr const char *kEngineProperty = "inkroomApp";

//! What people put in the join box: a whole link (when no room is typed beside it), else an address and a room.
JoinTarget targetFor(const QString &linkOrAddress, const QString &room)
{
    const QString text = linkOrAddress.trimmed();
    if (room.trimmed().isEmpty()) {
        const JoinTarget link = parseJoinLink(text);
        // An inkroom:// link that does not parse is explained as a link; anything else may be an address.
        if (link.isValid() || text.startsWith(u"inkroom://"_s, Qt::CaseInsensitive))
            return link;
    }
    return parseServerAddress(text, room);
}

} // namespace

AppController::AppController(const StartupOptions &options, QObject *parent)
    : QObject(parent)
    , m_profile(options.name)
{
    QSettings settings;
    m_hostRoomName = settings.value(u"host/room"_s).toString();
    if (!proto::isValidRoomName(m_hostRoomName))
        m_hostRoomName = suggestRoomName();
    m_stateDirectory = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/outbox"_s;
    m_knownServersFile = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/known-servers.json"_s;

    m_lanEnabled = options.lan;
    m_announceHostedRooms = settings.value(u"host/announce"_s, true).toBool();
    if (m_lanEnabled)
        m_lan.start(); // never blocks: the responder answers through the event loop
    m_recent.watch(&m_lan);
    m_session.setStateDirectory(m_stateDirectory);
    m_session.setKnownServersFile(m_knownServersFile);
    connect(&m_host, &RoomHost::statusChanged, this, &AppController::onHostStatusChanged);
    connect(&m_host, &RoomHost::memberCountChanged, this, &AppController::updateHosting);
    connect(&m_tray, &HostingTray::openRequested, this, &AppController::showWindow);
    connect(&m_tray, &HostingTray::stopRequested, this, &AppController::closeForEveryone);
    connect(&m_session, &client::Session::securityChanged, this, &AppController::trustNoteChanged);
    connect(this, &AppController::roomChanged, this, &AppController::trustNoteChanged);
    m_handover.setAnnounceAs(m_announceHostedRooms && m_lanEnabled ? m_profile.displayName() : QString());
    // The room this computer hosted moved to another member's computer: it is not served here any more.
    connect(m_session.moves(), &client::RoomMoves::follow, this, [this] {
        if (m_hosting) {
            m_hosting = false;
            serving().stop();
            m_takenOver = false;
            Q_EMIT roomChanged();
            Q_EMIT linkChanged();
            updateHosting();
            if (std::exchange(m_leaveWhenMoved, false))
                leaveRoom();
        }
    });

    connect(&m_handover, &RoomHandover::changed, this, &AppController::onTakenOver);
    connect(&m_handover.server(), &RoomHost::memberCountChanged, this, &AppController::updateHosting);
    connect(&m_handover.server(), &RoomHost::statusChanged, this, [this] {
        if (!m_takenOver)
            return;
        Q_EMIT linkChanged();
        if (m_handover.server().status() != RoomHost::Running && m_handover.server().status() != RoomHost::Starting) {
            m_takenOver = false; // the server that took the room over stopped: this app serves nothing now
            m_backgroundRoom.clear();
            updateHosting();
        }
    });
    // The room moved (and this session follows it): its recent-rooms entry goes with it, so a later run opens it at
    // its new address (the old one still finds it too: the session records every move).
    connect(&m_session, &client::Session::roomMoved, this, &AppController::onRoomMoved);

    if (!options.join.isEmpty())
        join(options.join);
    else if (options.host)
        host(options.room.isEmpty() ? suggestRoomName() : options.room);
}

AppController::~AppController()
{
    // The members go next: nothing of theirs may call back into a controller that is half gone.
    m_host.disconnect(this);
    m_tray.disconnect(this);
}

void AppController::attach(QQmlEngine &engine, AppController *controller)
{
    engine.setProperty(kEngineProperty, QVariant::fromValue<QObject *>(controller));
    engine.addImportPath(u"qrc:/qt/qml"_s);
}

AppController *AppController::create(QQmlEngine *engine, QJSEngine *)
{
    auto *controller = qobject_cast<AppController *>(engine->property(kEngineProperty).value<QObject *>());
    if (!controller) {
        qFatal("AppController::attach() was not called for this QML engine");
    }
    // Everything QML reaches from here is the controller's: the engine must never delete any of it.
    for (QObject *object :
         std::initializer_list<QObject *> {controller, &controller->m_session, &controller->m_host,
                                           &controller->m_recent, &controller->m_networkServers,
                                           &controller->m_handover, &controller->m_profile, &controller->m_savedWindow})
        QQmlEngine::setObjectOwnership(object, QQmlEngine::CppOwnership);
    return controller;
}

QUrl AppController::mainQmlUrl()
{
    return QUrl(u"qrc:/qt/qml/Inkroom/Main.qml"_s);
}

QString AppController::version()
{
    return QStringLiteral(INKROOM_VERSION);
}

QString AppController::link() const
{
    const QString room = m_hosting ? m_room.room : m_backgroundRoom;
    const RoomHost &server = serving();
    if (room.isEmpty() || server.status() != RoomHost::Running || server.addresses().isEmpty())
        return {};
    // The first address is one people on the network can reach (LAN before loopback).
    return parseServerAddress(server.addresses().first(), room).link();
}

QString AppController::joinCode() const
{
    const QString room = m_hosting ? m_room.room : m_backgroundRoom;
    const RoomHost &server = serving();
    if (room.isEmpty() || server.status() != RoomHost::Running || server.fingerprint().isEmpty())
        return {};
    return client::joinCode(server.fingerprint(), room);
}

bool AppController::findJoinCode(const QString &code, QString *server, QString *room) const
{
    for (const client::LanServer &candidate : m_lan.servers()) {
        const QString identity = candidate.announcement.tls ? candidate.announcement.fingerprint : candidate.name;
        for (const proto::RoomInfo &info : candidate.rooms) {
            if (client::joinCode(identity, info.name) == code) {
                *server = candidate.name;
                *room = info.name;
                return true;
            }
        }
    }
    return false;
}

void AppController::join(const QString &linkOrAddress, const QString &room, const QString &password)
{
    // A join code alone: the room it names among those on this network. (A word that only looks like a code, a host
    // name say, is an address when no room has it as its code, unless it was typed with the code's dash.)
    if (const QString code = client::normaliseJoinCode(linkOrAddress); !code.isEmpty() && room.trimmed().isEmpty()) {
        QString server;
        QString found;
        if (findJoinCode(code, &server, &found)) {
            joinFromNetwork(server, found, password);
            return;
        }
        if (linkOrAddress.contains(u'-')) {
            setJoinError(m_lanEnabled && m_lan.available()
                             ? tr("No room on this network has the code %1. Check it with the host, or use the "
                                  "room's link.")
                                   .arg(code)
                             : tr("Codes find rooms on this network, and this computer cannot list them: %1")
                                   .arg(m_networkServers.unavailableReason()));
            return;
        }
    }
    const JoinTarget target = targetFor(linkOrAddress, room);
    if (!target.isValid()) {
        setJoinError(target.error);
        return;
    }
    setJoinError({});
    cancelHostRequest();
    if (m_page == Room)
        leaveRoom(); // one room at a time
    openRoom(target, password, false);
}

void AppController::openRecent(const QString &link)
{
    if (const QString hosted = m_recent.hostedRoom(link); !hosted.isEmpty()) {
        if (!m_backgroundRoom.isEmpty() && m_backgroundRoom == hosted)
            openHostedRoom(); // it is still served: back in, with the password it was opened with
        else
            host(hosted);
        return;
    }
    join(link);
}

void AppController::setAnnounceHostedRooms(bool announce)
{
    if (announce == m_announceHostedRooms)
        return;
    m_announceHostedRooms = announce;
    QSettings().setValue(u"host/announce"_s, announce);
    Q_EMIT announceHostedRoomsChanged();
}

void AppController::joinFromNetwork(const QString &serverName, const QString &room, const QString &password)
{
    const std::optional<client::LanServer> server = m_lan.server(serverName);
    if (!server) {
        setJoinError(tr("“%1” is no longer on this network.").arg(serverName));
        return;
    }
    if (server->announcement.tokenNeeded) {
        setJoinError(tr("“%1” needs a join token: ask whoever runs it for its link.").arg(serverName));
        return;
    }
    JoinTarget target = parseServerAddress(server->url.toString(), room);
    if (!target.isValid()) {
        setJoinError(target.error);
        return;
    }
    setJoinError({});
    cancelHostRequest();
    if (m_page == Room)
        leaveRoom();
    // The announcement answers the first-use question, unless the user trusted another certificate for it before.
    const bool pinned = !client::KnownServers(m_knownServersFile)
                             .fingerprintFor(client::KnownServers::keyFor(target.server()))
                             .isEmpty();
    openRoom(target, password, false, pinned ? QString() : server->announcement.fingerprint);
    m_announcedFingerprint = pinned ? QString() : server->announcement.fingerprint;
    Q_EMIT trustNoteChanged();
}

QString AppController::trustNote() const
{
    if (m_page != Room || m_announcedFingerprint.isEmpty() || m_session.serverFingerprint() != m_announcedFingerprint)
        return {};
    return tr("matches the fingerprint announced on this network");
}

void AppController::host(const QString &room, const QString &password)
{
    const QString name = room.trimmed();
    if (!proto::isValidRoomName(name)) {
        setHostError(tr("A room name is 1 to 64 characters, without control characters."));
        return;
    }
    setHostError({});
    QSettings().setValue(u"host/room"_s, name);
    if (name != std::exchange(m_hostRoomName, name))
        Q_EMIT hostRoomNameChanged();
    if (m_page == Room)
        leaveRoom(); // one room at a time; a hosted one stops its server, and the start below waits for that
    const bool wasPending = hostPending();
    m_pendingHost = PendingHost {name, password};
    if (!wasPending)
        Q_EMIT hostPendingChanged();
    if (m_host.status() == RoomHost::Running) {
        onHostStatusChanged();
    } else {
        m_host.setAnnounceAs(m_lanEnabled && m_announceHostedRooms ? m_profile.displayName() : QString());
        m_host.start();
    } // returns at once; onHostStatusChanged() goes on when it runs or fails
}

void AppController::onHostStatusChanged()
{
    if (m_hosting || !m_backgroundRoom.isEmpty())
        Q_EMIT linkChanged();
    if (m_host.status() != RoomHost::Running && m_host.status() != RoomHost::Starting && !m_backgroundRoom.isEmpty()) {
        m_backgroundRoom.clear(); // the server stopped or failed: nothing is served any more
        updateHosting();
    }
    if (!m_pendingHost)
        return;
    if (m_host.status() == RoomHost::Running) {
        const PendingHost pending = *std::exchange(m_pendingHost, std::nullopt);
        Q_EMIT hostPendingChanged();
        // This computer's own client goes by loopback, and knows the certificate: nobody has to be asked to trust it.
        m_hostedPassword = pending.password; // to go back in after serving it in the background
        openRoom(parseServerAddress(m_host.localAddress(), pending.room), pending.password, true);
    } else if (m_host.status() == RoomHost::Failed) {
        m_pendingHost.reset();
        Q_EMIT hostPendingChanged();
        setHostError(tr("The server could not start: %1").arg(m_host.error()));
    }
}

RoomHost &AppController::serving()
{
    return m_takenOver ? m_handover.server() : m_host;
}

const RoomHost &AppController::serving() const
{
    return m_takenOver ? m_handover.server() : m_host;
}

void AppController::onTakenOver()
{
    if (!m_handover.serving() || m_takenOver || m_page != Room)
        return;
    // This app serves the room now: it is its host, with the host's banner and the host's question on leaving.
    m_takenOver = true;
    m_hosting = true;
    m_hostedPassword.clear(); // its own client joins by its client secret; the password stays the room's
    Q_EMIT roomChanged();
    Q_EMIT linkChanged();
    updateHosting();
}

void AppController::onRoomMoved(const QUrl &url)
{
    if (m_page != Room)
        return;
    m_recent.forget(m_room.link());
    JoinTarget moved = m_room;
    moved.servers = {url};
    // Its own server's client goes by loopback: the entry keeps the address people on the network use.
    if (m_handover.serving() && !m_handover.server().addresses().isEmpty())
        moved.servers = {QUrl(m_handover.server().addresses().first())};
    m_room = moved;
    m_recent.remember(moved);
    Q_EMIT linkChanged();
}

void AppController::handOverAndLeave(const QString &clientId)
{
    setLeaveQuestion(NoQuestion);
    m_leaveWhenMoved = m_hosting && m_session.handOver(clientId);
}

void AppController::cancelHostRequest()
{
    if (!m_pendingHost)
        return;
    m_pendingHost.reset();
    Q_EMIT hostPendingChanged();
    m_host.stop();
}

void AppController::openRoom(const JoinTarget &target, const QString &password, bool hosting,
                             const QString &expectedFingerprint)
{
    m_recent.remember(target, hosting);
    if (!m_profile.isSaved())
        m_profile.save(); // the name and colour this room knows the user by are theirs from now on
    m_announcedFingerprint.clear();
    m_session.setToken(target.token);
    m_session.setExpectedFingerprint(hosting ? serving().fingerprint() : expectedFingerprint);
    // A room this computer hosts is never handed to itself; any other it may take over.
    m_session.setCanServe(!hosting);
    m_session.join(target.servers, target.room, m_profile.displayName(), m_profile.colour(), password);
    m_room = target;
    m_hosting = hosting;
    if (hosting)
        m_backgroundRoom.clear(); // back in the room it served in the background (or in another one it serves)
    Q_EMIT roomChanged();
    Q_EMIT linkChanged();
    setPage(Room);
    updateHosting();
    // A room that moved since it was last opened here is joined where it is now: its recent entry says so too.
    // (A room of several addresses keeps them all; a move leaves one.)
    if (!hosting && m_session.serverUrls().size() == 1
        && client::KnownServers::keyFor(m_session.serverUrls().first())
            != client::KnownServers::keyFor(target.server()))
        onRoomMoved(m_session.serverUrls().first());
}

void AppController::leave()
{
    cancelHostRequest();
    if (m_page != Room)
        return;
    if (m_hosting) {
        setLeaveQuestion(Leaving); // the people in it go on or not: the host says which
        return;
    }
    leaveRoom();
}

void AppController::leaveRoom()
{
    if (m_page != Room)
        return;
    setLeaveQuestion(NoQuestion);
    // Leave first, so the session closes cleanly before its server goes away.
    m_session.leave();
    if (std::exchange(m_hosting, false)) {
        m_backgroundRoom.clear();
        serving().closeForEveryone(m_profile.displayName());
        m_takenOver = false;
    }
    m_room = {};
    Q_EMIT roomChanged();
    Q_EMIT linkChanged();
    setPage(Start);
    updateHosting();
}

bool AppController::quit()
{
    if ((m_page == Room && m_hosting) || !m_backgroundRoom.isEmpty()) {
        showWindow(); // the question needs the window (quitting from the tray's own menu is Stop hosting)
        setLeaveQuestion(Quitting);
        return false;
    }
    QCoreApplication::quit();
    return true;
}

void AppController::keepServing()
{
    const LeaveQuestion question = std::exchange(m_leaveQuestion, NoQuestion);
    if (question != NoQuestion)
        Q_EMIT leaveQuestionChanged();
    if (m_page == Room && m_hosting) {
        const QString room = m_room.room;
        // Listed before the host's own client leaves it, so the room never looks closed to the network.
        serving().keepOpen(room);
        m_session.leave();
        m_hosting = false;
        m_room = {};
        m_backgroundRoom = room;
        Q_EMIT roomChanged();
        Q_EMIT linkChanged();
        setPage(Start);
    }
    // Quitting: into the tray where there is one; elsewhere the window stays and says it still hosts.
    if (question == Quitting && !m_backgroundRoom.isEmpty() && trayAvailable())
        setWindowHidden(true);
    updateHosting();
}

void AppController::closeForEveryone()
{
    const LeaveQuestion question = std::exchange(m_leaveQuestion, NoQuestion);
    if (question != NoQuestion)
        Q_EMIT leaveQuestionChanged();
    if (m_page == Room && m_hosting) {
        leaveRoom(); // leaves, and closes the room for everyone
    } else if (!m_backgroundRoom.isEmpty()) {
        m_backgroundRoom.clear();
        serving().closeForEveryone(m_profile.displayName());
        m_takenOver = false;
        Q_EMIT linkChanged();
        updateHosting();
    }
    setWindowHidden(false);
    if (question == Quitting)
        QCoreApplication::quit(); // RoomHost's destructor waits (bounded) for the goodbye to go out
}

void AppController::cancelLeave()
{
    setLeaveQuestion(NoQuestion);
}

void AppController::openHostedRoom()
{
    if (m_backgroundRoom.isEmpty() || serving().status() != RoomHost::Running)
        return;
    setWindowHidden(false);
    const QString room = m_backgroundRoom;
    cancelHostRequest();
    if (m_page == Room)
        leaveRoom();
    // The server runs: this goes straight back in, as its host, with the password it was opened with.
    openRoom(parseServerAddress(serving().localAddress(), room), m_hostedPassword, true);
}

void AppController::showWindow()
{
    setWindowHidden(false);
}

int AppController::hostedPeople() const
{
    const RoomHost &server = serving();
    if (server.status() != RoomHost::Running || (!m_hosting && m_backgroundRoom.isEmpty()))
        return 0;
    // The host's own client counts among the members while it is in the room.
    return std::max(0, server.memberCount() - (m_hosting && m_page == Room ? 1 : 0));
}

QString AppController::hostingText() const
{
    const QString room = m_hosting ? m_room.room : m_backgroundRoom;
    return room.isEmpty() ? QString() : hostingSummary(room, hostedPeople());
}

void AppController::setLeaveQuestion(LeaveQuestion question)
{
    if (question == m_leaveQuestion)
        return;
    m_leaveQuestion = question;
    Q_EMIT leaveQuestionChanged();
}

void AppController::setWindowHidden(bool hidden)
{
    if (hidden == m_windowHidden)
        return;
    m_windowHidden = hidden;
    Q_EMIT windowHiddenChanged();
}

void AppController::updateHosting()
{
    if (m_backgroundRoom.isEmpty()) {
        m_tray.hide();
        setWindowHidden(false);
    } else {
        m_tray.show(m_backgroundRoom, hostedPeople());
    }
    Q_EMIT hostingChanged();
}

void AppController::submitPassword(const QString &password)
{
    if (m_page != Room)
        return;
    // The same room again: the session keeps its place and only tries again with the new password.
    m_session.join(m_room.servers, m_room.room, m_profile.displayName(), m_profile.colour(), password);
}

void AppController::setPage(Page page)
{
    if (page == m_page)
        return;
    m_page = page;
    Q_EMIT pageChanged();
}

void AppController::setJoinError(const QString &error)
{
    if (error == m_joinError)
        return;
    m_joinError = error;
    Q_EMIT joinErrorChanged();
}

void AppController::setHostError(const QString &error)
{
    if (error == m_hostError)
        return;
    m_hostError = error;
    Q_EMIT hostErrorChanged();
}

void AppController::copyToClipboard(const QString &text) const
{
    if (QClipboard *clipboard = QGuiApplication::clipboard())
        clipboard->setText(text);
}

QString AppController::suggestRoomName() const
{
    return tr("Room %1").arg(1000 + QRandomGenerator::global()->bounded(9000));
}

} // namespace inkroom::ui
