#pragma once

#include "landirectory.h"

#include <QObject>
#include <QTimer>

namespace inkroom::client {

/** @brief inkroom-cli --discover: the Inkroom servers on this network as JSON lines, for scripts and tests.
 *
 * Prints {"type":"server","event":"found"|"changed"|"lost",...} as servers appear, their rooms arrive and they go,
 * and {"type":"responder","available":false,"reason":...} when no mDNS responder answers; after the timeout it
 * exits 0, or 4 when there was no responder the whole time.
 */
class CliDiscovery : public QObject
{
    Q_OBJECT

public:
    static constexpr int ExitNoResponder = 4;

    CliDiscovery(int timeoutMs, const QString &token, QObject *parent = nullptr);
    void start();

Q_SIGNALS:
    void finished(int exitCode);

private:
    void printServer(const char *event, const LanServer &server);
    void printResponder();

    LanDirectory m_directory;
    QTimer m_timeout;
    bool m_everAvailable = false;
    bool m_responderPrinted = false;
};

} // namespace inkroom::client
