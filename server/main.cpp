#include "epolldispatcher.h"
#include "serverapp.h"
#include "turntrace.h"

#include <QCoreApplication>
#include <QtGlobal>

int main(int argc, char **argv)
{
    // The server's own event dispatcher (epoll): a turn costs what is ready, not what is open, and it reports the
    // turns to INKROOM_TRACE_TURNS. Where there is no epoll, Qt's own rather than GLib's: GLib finds a socket
    // notifier in a list on every change, and every write that waits for the kernel switches one on and off again,
    // which made thousands of connections slow to open. (QT_NO_GLIB set but empty brings GLib back.)
    if (auto *dispatcher = inkroom::server::EpollDispatcher::create())
        QCoreApplication::setEventDispatcher(dispatcher);
    else if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    const auto trace = inkroom::server::TurnTrace::fromEnvironment();
    return inkroom::server::runServerApp(argc, argv);
}
