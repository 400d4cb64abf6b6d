#pragma once

#include "roomhost.h"
#include "startupoptions.h"

#include <QColor>
#include <QObject>
#include <QRect>
#include <QVariantList>
#include <QtQmlIntegration/qqmlintegration.h>

QT_BEGIN_NAMESPACE
class QQmlEngine;
class QJSEngine;
QT_END_NAMESPACE

namespace inkroom::ui {

/** @brief The app as QML sees it: who you are, where you have been, hosting, and links.
 *
 * Remembers the display name, colour, recent rooms and the window's geometry (QSettings). Everything here is a
 * property or a verb; QML decides only layout.
 */
class AppController : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(App)
    QML_SINGLETON
    Q_PROPERTY(QString displayName READ displayName WRITE setDisplayName NOTIFY displayNameChanged)
    Q_PROPERTY(QColor colour READ colour WRITE setColour NOTIFY colourChanged)
    //! Colours that read well on the board, for the pickers.
    Q_PROPERTY(QList<QColor> palette READ palette CONSTANT)
    //! [{link, server, room}], most recent first.
    Q_PROPERTY(QVariantList recentRooms READ recentRooms NOTIFY recentRoomsChanged)
    Q_PROPERTY(inkroom::ui::RoomHost *host READ host CONSTANT)
    //! Where sessions keep their outbox journals.
    Q_PROPERTY(QString stateDirectory READ stateDirectory CONSTANT)
    //! The fingerprints of the servers this user trusted (Session.knownServersFile).
    Q_PROPERTY(QString knownServersFile READ knownServersFile CONSTANT)
    Q_PROPERTY(QString startupLink READ startupLink CONSTANT)
    Q_PROPERTY(bool startupHost READ startupHost CONSTANT)
    Q_PROPERTY(QString startupRoom READ startupRoom CONSTANT)
    Q_PROPERTY(QRect windowGeometry READ windowGeometry WRITE setWindowGeometry NOTIFY windowGeometryChanged)
    Q_PROPERTY(bool windowMaximized READ windowMaximized WRITE setWindowMaximized NOTIFY windowGeometryChanged)
    Q_PROPERTY(QString version READ version CONSTANT)

public:
    //! No default constructor on purpose: QML must get the instance main() made, through create().
    explicit AppController(const StartupOptions &options, QObject *parent = nullptr);
    ~AppController() override;

    /** The instance the engine's QML gets as App. Each engine may have its own (the end-to-end test runs two
     *  apps in one process); the engine never owns it. */
    static void attach(QQmlEngine &engine, AppController *controller);
    static AppController *create(QQmlEngine *engine, QJSEngine *script);
    //! Where the app's main QML file lives (in the resources).
    [[nodiscard]] static QUrl mainQmlUrl();

    [[nodiscard]] QString displayName() const { return m_displayName; }
    void setDisplayName(const QString &name);
    [[nodiscard]] QColor colour() const { return m_colour; }
    void setColour(const QColor &colour);
    [[nodiscard]] static QList<QColor> palette();
    [[nodiscard]] QVariantList recentRooms() const { return m_recent; }
    [[nodiscard]] RoomHost *host() { return &m_host; }
    [[nodiscard]] QString stateDirectory() const { return m_stateDirectory; }
    [[nodiscard]] QString knownServersFile() const { return m_knownServersFile; }
    [[nodiscard]] QString startupLink() const { return m_options.join; }
    [[nodiscard]] bool startupHost() const { return m_options.host; }
    [[nodiscard]] QString startupRoom() const { return m_options.room; }
    [[nodiscard]] QRect windowGeometry() const { return m_windowGeometry; }
    void setWindowGeometry(const QRect &geometry);
    [[nodiscard]] bool windowMaximized() const { return m_windowMaximized; }
    void setWindowMaximized(bool maximized);
    [[nodiscard]] static QString version();

    //! {valid, error, server, room, token, link} for an inkroom:// link.
    Q_INVOKABLE [[nodiscard]] QVariantMap parseLink(const QString &text) const;
    //! The same for an address typed by hand and a room name.
    Q_INVOKABLE [[nodiscard]] QVariantMap parseAddress(const QString &address, const QString &room) const;
    //! The link people on the network use to join room on the server this app hosts ("" when not hosting).
    Q_INVOKABLE [[nodiscard]] QString hostedLink(const QString &room) const;
    //! Put a room at the top of the recent list.
    Q_INVOKABLE void rememberRoom(const QString &server, const QString &room);
    Q_INVOKABLE void forgetRoom(const QString &link);
    Q_INVOKABLE void copyToClipboard(const QString &text) const;
    //! A short, friendly room name suggestion for hosting ("Room 4217").
    Q_INVOKABLE [[nodiscard]] QString suggestRoomName() const;

Q_SIGNALS:
    void displayNameChanged();
    void colourChanged();
    void recentRoomsChanged();
    void windowGeometryChanged();

private:
    void saveRecent();

    StartupOptions m_options;
    QString m_displayName;
    QColor m_colour;
    QVariantList m_recent;
    RoomHost m_host;
    QString m_stateDirectory;
    QString m_knownServersFile;
    QRect m_windowGeometry;
    bool m_windowMaximized = false;
};

} // namespace inkroom::ui
