#include "appcontroller.h"

#include "joinlink.h"
#include "protocol.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QQmlEngine>
#include <QRandomGenerator>
#include <QSettings>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace inkroom::ui {

namespace {

constexpr int kMaxRecent = 8;
constexpr const char *kEngineProperty = "inkroomApp";

QString defaultName()
{
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = qEnvironmentVariable("USERNAME");
    if (!user.isEmpty())
        user[0] = user[0].toUpper();
    return proto::isValidDisplayName(user) ? user : QCoreApplication::translate("AppController", "Guest");
}

} // namespace

AppController::AppController(const StartupOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{
    QSettings settings;
    m_displayName = settings.value(u"profile/name"_s, defaultName()).toString();
    if (!proto::isValidDisplayName(m_displayName))
        m_displayName = defaultName();
    if (!options.name.isEmpty())
        m_displayName = options.name;
    const QList<QColor> colours = palette();
    m_colour = settings.value(u"profile/colour"_s, colours.at(QRandomGenerator::global()->bounded(int(colours.size()))))
                   .value<QColor>();
    if (!m_colour.isValid())
        m_colour = colours.first();
    m_recent = settings.value(u"rooms/recent"_s).toList();
    m_windowGeometry = settings.value(u"window/geometry"_s).toRect();
    m_windowMaximized = settings.value(u"window/maximized"_s, false).toBool();
    m_stateDirectory = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/outbox"_s;
    m_knownServersFile = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/known-servers.json"_s;
}

AppController::~AppController() = default;

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
    QQmlEngine::setObjectOwnership(controller, QQmlEngine::CppOwnership);
    return controller;
}

QUrl AppController::mainQmlUrl()
{
    return QUrl(u"qrc:/qt/qml/Inkroom/Main.qml"_s);
}

void AppController::setDisplayName(const QString &name)
{
    const QString trimmed = name.trimmed();
    if (trimmed == m_displayName || !proto::isValidDisplayName(trimmed))
        return;
    m_displayName = trimmed;
    QSettings().setValue(u"profile/name"_s, m_displayName);
    Q_EMIT displayNameChanged();
}

void AppController::setColour(const QColor &colour)
{
    if (!colour.isValid() || colour == m_colour)
        return;
    m_colour = colour;
    QSettings().setValue(u"profile/colour"_s, m_colour);
    Q_EMIT colourChanged();
}

QList<QColor> AppController::palette()
{
    return {QColor(0x1e, 0x1e, 0x1e), QColor(0xe5, 0x39, 0x35), QColor(0xfb, 0x8c, 0x00), QColor(0xf9, 0xa8, 0x25),
            QColor(0x43, 0xa0, 0x47), QColor(0x00, 0x89, 0x7b), QColor(0x1e, 0x88, 0xe5), QColor(0x39, 0x49, 0xab),
            QColor(0x8e, 0x24, 0xaa), QColor(0xd8, 0x1b, 0x60), QColor(0x6d, 0x4c, 0x41), QColor(0x75, 0x75, 0x75)};
}

void AppController::setWindowGeometry(const QRect &geometry)
{
    if (geometry == m_windowGeometry || geometry.width() < 200 || geometry.height() < 150)
        return;
    m_windowGeometry = geometry;
    QSettings().setValue(u"window/geometry"_s, geometry);
    Q_EMIT windowGeometryChanged();
}

void AppController::setWindowMaximized(bool maximized)
{
    if (maximized == m_windowMaximized)
        return;
    m_windowMaximized = maximized;
    QSettings().setValue(u"window/maximized"_s, maximized);
    Q_EMIT windowGeometryChanged();
}

QString AppController::version()
{
    return QStringLiteral(INKROOM_VERSION);
}

namespace {

QVariantMap targetToMap(const JoinTarget &target)
{
    return {{u"valid"_s, target.isValid()}, {u"error"_s, target.error}, {u"server"_s, target.server.toString()},
            {u"room"_s, target.room},       {u"token"_s, target.token}, {u"link"_s, target.link()}};
}

} // namespace

QVariantMap AppController::parseLink(const QString &text) const
{
    return targetToMap(parseJoinLink(text));
}

QVariantMap AppController::parseAddress(const QString &address, const QString &room) const
{
    return targetToMap(parseServerAddress(address, room));
}

QString AppController::hostedLink(const QString &room) const
{
    if (m_host.status() != RoomHost::Running || m_host.addresses().isEmpty())
        return {};
    return parseServerAddress(m_host.addresses().first(), room).link();
}

void AppController::rememberRoom(const QString &server, const QString &room)
{
    const JoinTarget target = parseServerAddress(server, room);
    if (!target.isValid())
        return;
    const QString link = target.link();
    for (qsizetype i = 0; i < m_recent.size(); ++i) {
        if (m_recent[i].toMap().value(u"link"_s).toString() == link)
            m_recent.removeAt(i--);
    }
    m_recent.prepend(
        QVariantMap {{u"link"_s, link}, {u"server"_s, target.server.toString()}, {u"room"_s, target.room}});
    while (m_recent.size() > kMaxRecent)
        m_recent.removeLast();
    saveRecent();
}

void AppController::forgetRoom(const QString &link)
{
    const qsizetype before = m_recent.size();
    m_recent.removeIf([&link](const QVariant &entry) { return entry.toMap().value(u"link"_s).toString() == link; });
    if (m_recent.size() != before)
        saveRecent();
}

void AppController::saveRecent()
{
    QSettings().setValue(u"rooms/recent"_s, m_recent);
    Q_EMIT recentRoomsChanged();
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
