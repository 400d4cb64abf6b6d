#pragma once

#include <QObject>

class QSocketNotifier;

namespace inkroom::server {

/** @brief Turns SIGINT and SIGTERM into a Qt signal on the thread that created this object.
 *
 * A signal handler may only do async-signal-safe work, so it writes the signal number to a socketpair
 * (the self-pipe trick) and a QSocketNotifier reads it on the event loop. One instance per process: the handler
 * needs the write end in a static.
 */
class ShutdownSignals : public QObject
{
    Q_OBJECT

public:
    explicit ShutdownSignals(QObject *parent = nullptr);
    ~ShutdownSignals() override;

    //! Whether the handlers are installed (false if another instance has them, or the OS refused).
    [[nodiscard]] bool isActive() const { return m_notifier != nullptr; }

Q_SIGNALS:
    //! SIGINT or SIGTERM arrived (signalNumber says which).
    void received(int signalNumber);

private:
    void readSignal();

    int m_fds[2] = {-1, -1};
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace inkroom::server
