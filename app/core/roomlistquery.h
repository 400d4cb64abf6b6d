#pragma once

#include "protocol.h"

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

QT_BEGIN_NAMESPACE
class QWebSocket;
QT_END_NAMESPACE

namespace inkroom::client {

/** @brief Asks one server which rooms are open (list_rooms), without joining, and hangs up.
 *
 * For the servers found on the network: the certificate must have the fingerprint the server announced (or, for a
 * server with a CA certificate, be one the system trusts); anything else is refused and nothing is sent. One answer
 * per query: finished() with the rooms, or failed() with a reason in plain words (refused, unreachable, timed out,
 * the certificate, the server's error). Never blocks.
 */
class RoomListQuery : public QObject
{
    Q_OBJECT

public:
    explicit RoomListQuery(QObject *parent = nullptr);
    ~RoomListQuery() override;

    /** Ask the server at url (wss:// or ws://). expectedFingerprint: the announced one ("AB:CD:..."); token: the
     *  server's join token when it needs one. A query under way is abandoned first. */
    void start(const QUrl &url, const QString &expectedFingerprint, const QString &token = {}, int timeoutMs = 5000);
    void abort();
    [[nodiscard]] bool isRunning() const { return !m_socket.isNull(); }

Q_SIGNALS:
    void finished(const QList<inkroom::proto::RoomInfo> &rooms);
    void failed(const QString &reason);

private:
    void finish(const QString &failure, const QList<proto::RoomInfo> &rooms = {});
    void onBytes(const QByteArray &bytes);

    QPointer<QWebSocket> m_socket;
    QTimer m_timeout;
    QString m_expectedFingerprint;
    QString m_token;
    QString m_certificateProblem;
};

} // namespace inkroom::client
