#include "appcontroller.h"

#include "joinlink.h"
#include "protocol.h"

#include <QClipboard>
#include <QCommandLineParser>
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

void configureApplication(QCoreApplication &app)
{
    app.setOrganizationName(u"Inkroom"_s);
    app.setApplicationName(u"inkroom"_s);
    app.setApplicationVersion(AppController::version());
    if (auto *gui = qobject_cast<QGuiApplication *>(&app)) {
        gui->setApplicationDisplayName(u"Inkroom"_s);
        gui->setDesktopFileName(u"io.github.inkroom.Inkroom"_s); // resources/io.github.inkroom.Inkroom.desktop
    }
    // No multisampling: the canvas antialiases its own geometry (and paints its tiles antialiased), and with
    // software OpenGL 4x multisampling alone would cost ~13 ms a frame at 1280 x 800.
}

StartupOptions parseCommandLine(const QCoreApplication &app)
{
    return parseCommandLine(app, app.arguments());
}

QStringList argumentsOf(int argc, char *argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    return arguments;
}

StartupOptions parseCommandLine(const QCoreApplication &app, const QStringList &original)
{
    return parseArguments(withNameRestored(app.arguments(), original));
}

QStringList withNameRestored(const QStringList &afterQt, const QStringList &original)
{
    // Qt has removed its own options (-platform, -style, ...) and --name with them: put --name back.
    QStringList arguments = afterQt;
    for (qsizetype i = 1; i < original.size(); ++i) {
        const QString &argument = original.at(i);
        QString value;
        if ((argument == u"--name"_s || argument == u"-name"_s) && i + 1 < original.size())
            value = original.at(i + 1);
        else if (argument.startsWith(u"--name="_s))
            value = argument.mid(7);
        else
            continue;
        if (!arguments.contains(argument))
            arguments.append(u"--name="_s + value);
        break;
    }
    return arguments;
}

StartupOptions parseArguments(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "main",
        "Draw and chat together, live, on your local network.\n\n"
        "Start without options to see the start screen. Give an inkroom:// link to join that room."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption name(u"name"_s, QCoreApplication::translate("main", "Join as <name>."), u"name"_s);
    const QCommandLineOption join(
        u"join"_s, QCoreApplication::translate("main", "Join the room of an inkroom:// <link>."), u"link"_s);
    const QCommandLineOption host(u"host"_s,
                                  QCoreApplication::translate("main", "Host a room on this computer and join it."));
    const QCommandLineOption room(u"room"_s, QCoreApplication::translate("main", "With --host: the room's <name>."),
                                  u"name"_s);
    parser.addOptions({name, join, host, room});
    parser.addPositionalArgument(u"link"_s, QCoreApplication::translate("main", "An inkroom:// link to join."),
                                 u"[link]"_s);
    parser.process(arguments);

    StartupOptions options;
    options.name = parser.value(name).trimmed();
    options.host = parser.isSet(host);
    options.room = parser.value(room).trimmed();
    options.join = parser.value(join).trimmed();
    const QStringList positional = parser.positionalArguments();
    if (options.join.isEmpty() && !positional.isEmpty())
        options.join = positional.first().trimmed();
    if (parser.isSet(name) && !proto::isValidDisplayName(options.name))
        options.error = QCoreApplication::translate("main", "A name is 1 to 40 characters without control characters.");
    else if (!options.join.isEmpty() && !parseJoinLink(options.join).isValid())
        options.error = parseJoinLink(options.join).error;
    else if (options.host && !options.join.isEmpty())
        options.error = QCoreApplication::translate("main", "Use either --host or a link to join, not both.");
    else if (!options.room.isEmpty() && !proto::isValidRoomName(options.room))
        options.error = QCoreApplication::translate("main", "A room name is 1 to 64 characters.");
    return options;
}

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
