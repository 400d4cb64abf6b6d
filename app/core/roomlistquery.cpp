#include "roomlistquery.h"

#include "fingerprint.h"
#include "protocollimits.h"

#include <QSslSocket>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace inkroom::client {

RoomListQuery::RoomListQuery(QObject *parent)
    : QObject(parent)
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] { finish(tr("the server did not answer in time")); });
}

RoomListQuery::~RoomListQuery()
{
    abort();
}

void RoomListQuery::start(const QUrl &url, const QString &expectedFingerprint, const QString &token, int timeoutMs)
{
    abort();
    m_expectedFingerprint = proto::normaliseFingerprint(expectedFingerprint);
    m_token = token;
    m_certificateProblem.clear();
    auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket = socket;
    socket->setMaxAllowedIncomingMessageSize(quint64(limits::MaxServerMessageBytes));
    socket->setMaxAllowedIncomingFrameSize(quint64(limits::MaxServerMessageBytes));
    connect(socket, &QWebSocket::connected, this,
            [this, socket] { socket->sendBinaryMessage(proto::encode(proto::ListRooms {m_token})); });
    connect(socket, &QWebSocket::binaryMessageReceived, this, &RoomListQuery::onBytes);
    connect(socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) { onBytes(text.toUtf8()); });
    // Direct: the errors can only be ignored from inside the signal, while the handshake waits.
    connect(
        socket, &QWebSocket::sslErrors, this,
        [this, socket](const QList<QSslError> &errors) {
            QSslCertificate certificate;
            if (const QSslSocket *tls = socket->findChild<QSslSocket *>())
                certificate = tls->peerCertificate();
            for (qsizetype i = 0; certificate.isNull() && i < errors.size(); ++i)
                certificate = errors.at(i).certificate();
            const QString presented = certificate.isNull()
                ? QString()
                : proto::formatFingerprint(certificate.digest(QCryptographicHash::Sha256));
            if (!m_expectedFingerprint.isEmpty() && presented == m_expectedFingerprint) {
                socket->ignoreSslErrors();
                return;
            }
            m_certificateProblem =
                tr("its certificate (%1) is not the one it announced (%2)")
                    .arg(presented, m_expectedFingerprint.isEmpty() ? tr("none") : m_expectedFingerprint);
        },
        Qt::DirectConnection);
    const auto gone = [this, socket] {
        if (!m_certificateProblem.isEmpty())
            finish(m_certificateProblem);
        else if (socket->closeCode() == QWebSocketProtocol::CloseCode(4010))
            finish(tr("it needs its join token"));
        else if (socket->error() != QAbstractSocket::UnknownSocketError)
            finish(socket->errorString());
        else
            finish(tr("it closed the connection (%1) without answering").arg(int(socket->closeCode())));
    };
    connect(socket, &QWebSocket::disconnected, this, gone);
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, gone);
    m_timeout.start(timeoutMs);
    socket->open(url);
}

void RoomListQuery::onBytes(const QByteArray &bytes)
{
    const proto::DecodeResult result = proto::decode(bytes, limits::MaxServerMessageBytes);
    if (!result.ok())
        return finish(tr("its answer did not decode: %1").arg(result.error().message));
    if (const auto *list = std::get_if<proto::RoomList>(&result.message()))
        return finish({}, list->rooms);
    if (const auto *error = std::get_if<proto::Error>(&result.message()))
        return finish(error->message);
}

void RoomListQuery::finish(const QString &failure, const QList<proto::RoomInfo> &rooms)
{
    if (!m_socket)
        return;
    m_timeout.stop();
    QWebSocket *socket = m_socket;
    m_socket.clear();
    socket->disconnect(this);
    socket->close(QWebSocketProtocol::CloseCodeNormal);
    socket->deleteLater();
    if (failure.isEmpty())
        Q_EMIT finished(rooms);
    else
        Q_EMIT failed(failure);
}

void RoomListQuery::abort()
{
    m_timeout.stop();
    if (QWebSocket *socket = m_socket) {
        m_socket.clear();
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
}

} // namespace inkroom::client
