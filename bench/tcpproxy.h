#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>

class QTcpSocket;

namespace inkroom::bench {

/** @brief A loopback TCP relay that can cut its connections, so a real client loses its link and resumes.
 *
 * Used by the catch-up scenario: the client core resumes (sends its last seq) only when a connection it had drops
 * while it keeps its board, which is exactly what cut() then restore() does. Bytes are passed on as they come.
 */
class TcpProxy : public QObject
{
    Q_OBJECT

public:
    explicit TcpProxy(quint16 upstreamPort, QObject *parent = nullptr);
    bool listen();
    [[nodiscard]] quint16 port() const { return m_server.serverPort(); }
    //! Drop every relayed connection and refuse new ones until restore().
    void cut();
    void restore() { m_refusing = false; }

private:
    void onNewConnection();

    QTcpServer m_server;
    const quint16 m_upstreamPort;
    bool m_refusing = false;
    QList<QPointer<QTcpSocket>> m_sockets;
};

} // namespace inkroom::bench
