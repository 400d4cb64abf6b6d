#include "shutdownsignals.h"

#include "logging.h"

#include <QSocketNotifier>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace inkroom::server {

namespace {

std::atomic<int> s_writeFd {-1};

void onShutdownSignal(int signalNumber)
{
    const int savedErrno = errno;
    const int fd = s_writeFd.load();
    if (fd >= 0) {
        const char byte = char(signalNumber);
        [[maybe_unused]] const ssize_t written = ::write(fd, &byte, 1);
    }
    errno = savedErrno;
}

} // namespace

ShutdownSignals::ShutdownSignals(QObject *parent)
    : QObject(parent)
{
    if (s_writeFd.load() >= 0) {
        qCWarning(lcServer) << "shutdown signal handlers are already installed";
        return;
    }
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, m_fds) != 0) {
        qCWarning(lcServer) << "cannot create the signal socketpair";
        return;
    }
    for (int fd : m_fds)
        ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    ::fcntl(m_fds[0], F_SETFL, O_NONBLOCK);
    ::fcntl(m_fds[1], F_SETFL, O_NONBLOCK);
    s_writeFd.store(m_fds[1]);

    struct sigaction action = {};
    action.sa_handler = onShutdownSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);

    m_notifier = new QSocketNotifier(m_fds[0], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &ShutdownSignals::readSignal);
}

ShutdownSignals::~ShutdownSignals()
{
    if (!m_notifier)
        return;
    struct sigaction action = {};
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
    s_writeFd.store(-1);
    delete m_notifier;
    ::close(m_fds[0]);
    ::close(m_fds[1]);
}

void ShutdownSignals::readSignal()
{
    char byte = 0;
    while (::read(m_fds[0], &byte, 1) == 1) {
        qCInfo(lcServer) << "received signal" << int(byte);
        Q_EMIT received(int(byte));
    }
}

} // namespace inkroom::server
