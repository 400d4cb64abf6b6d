#pragma once

#include <QString>
#include <QStringList>

QT_BEGIN_NAMESPACE
class QCoreApplication;
QT_END_NAMESPACE

namespace inkroom::ui {

//! Names, version, desktop file and surface format of the app (call before any window exists).
void configureApplication(QCoreApplication &app);

//! What the command line asked for: inkroom [--name NAME] [--join LINK | --host] [LINK].
struct StartupOptions
{
    QString name;
    QString join; //!< an inkroom:// link to join at once
    bool host = false; //!< host a room on this computer at once
    QString room; //!< the room to host (--room)
    QString error; //!< the command line could not be understood: print and exit 2
    /** Use the local network: list the servers on it and announce hosted rooms (as the settings say). The command
     *  line turns it on unless --no-discover is given; default-made options (tests) never touch the network. */
    bool lan = false;
};

/** @brief Parse the desktop app's command line (the desktop entry passes clicked links as the last argument).
 *  --help and --version print and exit, as QCommandLineParser does. */
[[nodiscard]] StartupOptions parseCommandLine(const QCoreApplication &app);
/** @brief The same, from the arguments as the process got them.
 *
 * QGuiApplication takes "-name"/"--name" out of argv for itself (the X11 resource name), so the desktop app keeps a
 * copy of argv from before it exists and parses that. */
[[nodiscard]] StartupOptions parseCommandLine(const QCoreApplication &app, const QStringList &arguments);
//! afterQt (the arguments Qt left) with the --name option from original put back, when Qt took it.
[[nodiscard]] QStringList withNameRestored(const QStringList &afterQt, const QStringList &original);
//! Parse a command line (the first entry is the program). --help and --version print and exit.
[[nodiscard]] StartupOptions parseArguments(const QStringList &arguments);
//! The process's arguments, exactly as main() received them.
[[nodiscard]] QStringList argumentsOf(int argc, char *argv[]);

} // namespace inkroom::ui
