#include "serverapp.h"

#include <QtGlobal>

int main(int argc, char **argv)
{
    // Qt's own event dispatcher rather than GLib's: GLib finds a socket notifier in a list on every change, and
    // every write that waits for the kernel switches one on and off again, which made thousands of connections
    // slow to open. (QT_NO_GLIB set but empty brings GLib back.)
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    return inkroom::server::runServerApp(argc, argv);
}
