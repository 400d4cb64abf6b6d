#pragma once

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QUrl>

#include <memory>
#include <vector>

namespace inkroom::test {

class ProxyLink;

/** @brief A TCP proxy between real clients and a real server that breaks the link on demand.
 *
 * Faults: cut (close both sides at once), refuse (new connections are closed at once), stall (stop forwarding;
 * what arrives is held and delivered when the stall ends), half-open (everything is silently dropped and nothing is
 * ever closed: the link is dead but neither end is told; it never recovers), delay (every chunk waits this long),
 * split (every chunk is written in pieces of this many bytes with a pause between them, so frames arrive in
 * parts). Faults apply to links open now and to those opened later.
 */
class FaultProxy : public QObject
{
    Q_OBJECT

public:
    enum Direction {
        ToServer = 1,
        ToClient = 2,
        Both = 3
    };

    explicit FaultProxy(QObject *parent = nullptr);
    ~FaultProxy() override;

    //! Listen on loopback (any port) and forward to target:targetPort.
    bool listen(quint16 targetPort, const QHostAddress &target = QHostAddress::LocalHost);
    void setTargetPort(quint16 port) { m_targetPort = port; }
    [[nodiscard]] quint16 port() const { return m_server.serverPort(); }
    [[nodiscard]] QUrl url() const;

    //! Close both sides of every open link now.
    void cutAll();
    //! New connections are closed as soon as they arrive (a server that is down).
    void setRefuse(bool refuse) { m_refuse = refuse; }
    //! Stop (or resume) forwarding; held data is delivered in order when forwarding resumes.
    void setStalled(bool stalled, Direction direction = Both);
    //! Every open link goes dead silently; while on, new links are accepted and are dead too.
    void setHalfOpen(bool halfOpen);
    //! Every chunk is delivered delayMs after it arrived (order kept).
    void setDelay(int delayMs, Direction direction = Both);
    //! Chunks are written in pieces of at most bytes, gapMs apart (0 bytes: whole chunks).
    void setSplit(int bytes, int gapMs = 2);

    [[nodiscard]] int openLinks() const;
    [[nodiscard]] int acceptedLinks() const { return m_accepted; }
    [[nodiscard]] qint64 bytesForwarded(Direction direction) const;

    // Read by the links.
    [[nodiscard]] bool stalled(Direction d) const { return d == ToServer ? m_stallUp : m_stallDown; }
    [[nodiscard]] int delay(Direction d) const { return d == ToServer ? m_delayUp : m_delayDown; }
    [[nodiscard]] int splitBytes() const { return m_splitBytes; }
    [[nodiscard]] int splitGapMs() const { return m_splitGapMs; }
    void countForwarded(Direction d, qint64 bytes) { (d == ToServer ? m_forwardedUp : m_forwardedDown) += bytes; }

private:
    void accept();
    void poke();

    QTcpServer m_server;
    QHostAddress m_target;
    quint16 m_targetPort = 0;
    std::vector<QPointer<ProxyLink>> m_links;
    bool m_refuse = false;
    bool m_halfOpen = false;
    bool m_stallUp = false;
    bool m_stallDown = false;
    int m_delayUp = 0;
    int m_delayDown = 0;
    int m_splitBytes = 0;
    int m_splitGapMs = 2;
    int m_accepted = 0;
    qint64 m_forwardedUp = 0;
    qint64 m_forwardedDown = 0;
};

} // namespace inkroom::test
