#include "startupoptions.h"

#include "joinlink.h"
#include "protocol.h"

#include <QCommandLineParser>
#include <QGuiApplication>

using namespace Qt::StringLiterals;

namespace inkroom::ui {

void configureApplication(QCoreApplication &app)
{
    app.setOrganizationName(u"Inkroom"_s);
    app.setApplicationName(u"inkroom"_s);
    app.setApplicationVersion(QStringLiteral(INKROOM_VERSION));
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
    const QCommandLineOption noDiscover(
        u"no-discover"_s,
        QCoreApplication::translate("main",
                                    "Do not list the servers on this network, and do not "
                                    "announce a hosted room on it (DNS-SD)."));
    parser.addOptions({name, join, host, room, noDiscover});
    parser.addPositionalArgument(u"link"_s, QCoreApplication::translate("main", "An inkroom:// link to join."),
                                 u"[link]"_s);
    parser.process(arguments);

    StartupOptions options;
    options.name = parser.value(name).trimmed();
    options.host = parser.isSet(host);
    options.lan = !parser.isSet(noDiscover);
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

} // namespace inkroom::ui
