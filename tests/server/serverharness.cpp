#include "serverharness.h"

#include "fingerprint.h"
#include "protocollimits.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSslError>
#include <QSslSocket>
#include <QTest>
#include <QTimer>
#include <QtEndian>

using namespace Qt::StringLiterals;

namespace inkroom::test {

bool waitUntil(const std::function<bool()> &pred, int timeoutMs)
{
    // Unlike QTest::qWaitFor (which sleeps 10 ms between rounds), wait inside the event loop: the in-process
    // server shares this thread, and every round trip takes several event-loop turns.
    QElapsedTimer timer;
    timer.start();
    while (!pred()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QEventLoop loop;
        QTimer::singleShot(2, &loop, &QEventLoop::quit);
        loop.exec();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    }
    return true;
}

QString derivedSecret(const QString &clientId)
{
    const QByteArray key = "secret of " + clientId.toUtf8();
    return QString::fromLatin1(QCryptographicHash::hash(key, QCryptographicHash::Sha256)
                                   .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

server::ServerConfig testConfig(const QString &dataDir)
{
    server::ServerConfig config;
    config.bind = QHostAddress::LocalHost;
    config.port = 0;
    config.dataDir = dataDir;
    config.insecure = true; // plain ws://: the TLS tests ask for TLS themselves
    config.passwordIterations = 1000;
    config.closeGraceMs = 500;
    return config;
}

// ---------------------------------------------------------------------------------------------- ServerFixture

ServerFixture::ServerFixture(const std::function<void(server::ServerConfig &)> &tweak)
    : m_config(testConfig(m_dir.path()))
{
    if (tweak)
        tweak(m_config);
}

ServerFixture::~ServerFixture()
{
    stop();
}

bool ServerFixture::start()
{
    m_server = std::make_unique<server::Server>(m_config);
    QString error;
    if (!m_server->start(&error)) {
        qWarning().noquote() << "server did not start:" << error;
        return false;
    }
    return true;
}

bool ServerFixture::restart()
{
    stop();
    return start();
}

void ServerFixture::stop()
{
    m_server.reset();
}

// ---------------------------------------------------------------------------------------------- TestClient

TestClient::TestClient(const QString &id, const QString &displayName, const QString &origin)
    : clientId(id.isEmpty() ? u"client-%1"_s.arg(QRandomGenerator::global()->generate64(), 16, 16, QChar(u'0')) : id)
    , name(displayName)
    , m_socket(std::make_unique<QWebSocket>(origin))
{
    QObject::connect(m_socket.get(), &QWebSocket::binaryMessageReceived, m_socket.get(),
                     [this](const QByteArray &bytes) {
                         const proto::DecodeResult result = proto::decode(bytes, limits::MaxServerMessageBytes);
                         if (result.ok()) {
                             m_messages.append(result.message());
                         } else {
                             ++m_undecodable;
                             qWarning().noquote() << "undecodable from server:" << result.error().message;
                         }
                     });
    QObject::connect(m_socket.get(), &QWebSocket::textMessageReceived, m_socket.get(), [this](const QString &) {
        ++m_undecodable; // the server sends binary frames only
        qWarning() << "the server sent a text frame";
    });
    QObject::connect(m_socket.get(), &QWebSocket::disconnected, m_socket.get(), [this] {
        m_closed = true;
        m_closeCode = quint16(m_socket->closeCode());
    });
    QObject::connect(
        m_socket.get(), &QWebSocket::sslErrors, m_socket.get(),
        [this](const QList<QSslError> &) {
            if (!acceptedFingerprint.isEmpty() && peerFingerprintOf(*m_socket) == acceptedFingerprint)
                m_socket->ignoreSslErrors();
        },
        Qt::DirectConnection);
}

void TestClient::acceptCertificate(const QString &fingerprint)
{
    acceptedFingerprint = fingerprint;
}

QString peerFingerprintOf(const QWebSocket &socket)
{
    const QSslSocket *tls = socket.findChild<QSslSocket *>();
    if (!tls || tls->peerCertificate().isNull())
        return {};
    return proto::formatFingerprint(tls->peerCertificate().digest(QCryptographicHash::Sha256));
}

TestClient::~TestClient()
{
    m_socket->disconnect();
    m_socket->abort();
}

bool TestClient::connectTo(const QUrl &url)
{
    m_closed = false;
    m_closeCode = 0;
    m_socket->open(url);
    return waitUntil([this] { return m_socket->state() == QAbstractSocket::ConnectedState || m_closed; })
        && m_socket->state() == QAbstractSocket::ConnectedState;
}

proto::Hello TestClient::hello(const QString &room, const QString &password) const
{
    proto::Hello hello;
    hello.client = clientId;
    hello.secret = secret.isEmpty() ? derivedSecret(clientId) : secret;
    hello.name = name;
    hello.colour = colour;
    hello.room = room;
    hello.password = password;
    hello.serve = serve;
    return hello;
}

bool TestClient::join(const QUrl &url, const QString &room, std::optional<proto::ResumePoint> resume,
                      const QString &password)
{
    if (!isConnected() && !connectTo(url))
        return false;
    const int synced = count<proto::Synced>();
    proto::Hello message = hello(room, password);
    message.resume = resume;
    send(message);
    return waitUntil([this, synced] { return count<proto::Synced>() > synced || m_closed; })
        && count<proto::Synced>() > synced;
}

void TestClient::send(const proto::Message &message)
{
    m_socket->sendBinaryMessage(proto::encode(message));
}

void TestClient::sendBytes(const QByteArray &bytes)
{
    m_socket->sendBinaryMessage(bytes);
}

void TestClient::sendText(const QString &text)
{
    m_socket->sendTextMessage(text);
}

void TestClient::close()
{
    m_socket->close();
    waitForClose();
}

bool TestClient::isConnected() const
{
    return m_socket->state() == QAbstractSocket::ConnectedState && !m_closed;
}

bool TestClient::waitForClose(int timeoutMs)
{
    return waitUntil([this] { return m_closed; }, timeoutMs);
}

bool TestClient::waitForAnswer(quint64 cseq, int timeoutMs)
{
    return waitUntil([this, cseq] { return ackFor(cseq) || rejectFor(cseq); }, timeoutMs);
}

std::optional<proto::Ack> TestClient::ackFor(quint64 cseq) const
{
    for (const proto::Message &message : m_messages) {
        if (const auto *ack = std::get_if<proto::Ack>(&message); ack && ack->cseq == cseq)
            return *ack;
    }
    return std::nullopt;
}

std::optional<proto::Reject> TestClient::rejectFor(quint64 cseq) const
{
    for (const proto::Message &message : m_messages) {
        if (const auto *reject = std::get_if<proto::Reject>(&message); reject && reject->cseq == cseq)
            return *reject;
    }
    return std::nullopt;
}

proto::Op TestClient::makeAdd(int points, const QString &itemId)
{
    proto::Op op;
    op.kind = proto::OpKind::Add;
    op.cseq = nextCseq++;
    op.item = strokeItem(itemId.isEmpty() ? clientId + u':' + QString::number(op.cseq) : itemId, points);
    return op;
}

proto::Op TestClient::makeChat(const QString &text)
{
    proto::Op op;
    op.kind = proto::OpKind::Chat;
    op.cseq = nextCseq++;
    op.text = text;
    return op;
}

quint64 TestClient::sendOp(const proto::Op &op)
{
    send(op);
    return op.cseq;
}

Board TestClient::boardSinceWelcome() const
{
    Board board;
    qsizetype start = -1;
    for (qsizetype i = 0; i < m_messages.size(); ++i) {
        if (std::holds_alternative<proto::Welcome>(m_messages[i]))
            start = i;
    }
    if (start < 0)
        return board;
    const auto &welcome = std::get<proto::Welcome>(m_messages[start]);
    QList<proto::Item> snapshot;
    bool synced = false;
    for (qsizetype i = start + 1; i < m_messages.size(); ++i) {
        const proto::Message &message = m_messages[i];
        if (const auto *chunk = std::get_if<proto::Snapshot>(&message)) {
            snapshot += chunk->items;
        } else if (std::holds_alternative<proto::Synced>(message)) {
            if (!synced && welcome.snapshot)
                board.reset(welcome.head, snapshot);
            synced = true;
        } else if (const auto *op = std::get_if<proto::Op>(&message)) {
            if (synced || !welcome.snapshot)
                board.apply(*op);
        }
    }
    return board;
}

// ---------------------------------------------------------------------------------------------- RawClient

RawClient::RawClient() = default;

bool RawClient::connectTo(const QUrl &url, const QHostAddress &from)
{
    if (!from.isNull() && !m_socket.bind(from, 0))
        return false;
    m_socket.connectToHost(url.host(), quint16(url.port()));
    return m_socket.waitForConnected(kWaitMs);
}

bool RawClient::connectEncrypted(const QUrl &url)
{
    // The server runs in this thread: wait with the event loop turning, never with the blocking waits.
    m_socket.setPeerVerifyMode(QSslSocket::VerifyNone);
    m_socket.connectToHostEncrypted(url.host(), quint16(url.port()));
    return waitUntil([this] { return m_socket.isEncrypted() || m_socket.state() == QAbstractSocket::UnconnectedState; })
        && m_socket.isEncrypted();
}

bool RawClient::upgrade(const QUrl &url)
{
    const QByteArray request = "GET / HTTP/1.1\r\nHost: " + url.host().toUtf8() + ':' + QByteArray::number(url.port())
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          "Sec-WebSocket-Version: 13\r\n\r\n";
    m_socket.write(request);
    QByteArray response;
    const bool ok = waitUntil([this, &response] {
        while (m_socket.canReadLine() && !response.endsWith("\r\n\r\n"))
            response += m_socket.readLine();
        return response.endsWith("\r\n\r\n") || m_socket.state() != QAbstractSocket::ConnectedState;
    });
    return ok && response.startsWith("HTTP/1.1 101");
}

void RawClient::sendFrame(const QByteArray &payload, quint8 opcode, bool final)
{
    m_socket.write(frame(payload, opcode, final));
    m_socket.flush();
}

QByteArray RawClient::frame(const QByteArray &payload, quint8 opcode, bool final)
{
    QByteArray frame;
    frame.append(char((final ? 0x80 : 0x00) | opcode));
    const qsizetype size = payload.size();
    if (size < 126) {
        frame.append(char(0x80 | size));
    } else if (size < 65536) {
        frame.append(char(0x80 | 126));
        const quint16 length = qToBigEndian(quint16(size));
        frame.append(reinterpret_cast<const char *>(&length), 2);
    } else {
        frame.append(char(0x80 | 127));
        const quint64 length = qToBigEndian(quint64(size));
        frame.append(reinterpret_cast<const char *>(&length), 8);
    }
    const char mask[4] = {0x12, 0x34, 0x56, 0x78};
    frame.append(mask, 4);
    QByteArray masked = payload;
    for (qsizetype i = 0; i < masked.size(); ++i)
        masked[i] = char(masked[i] ^ mask[i % 4]);
    frame.append(masked);
    return frame;
}

void RawClient::stopReading()
{
    m_socket.setReadBufferSize(4096);
}

bool RawClient::waitForDisconnect(int timeoutMs)
{
    return waitUntil(
        [this] {
            // Reading lets the socket notice the close (the server's close frame, then FIN or RST).
            if (m_socket.readBufferSize() == 0)
                readFrames();
            return m_socket.state() == QAbstractSocket::UnconnectedState;
        },
        timeoutMs);
}

void RawClient::readFrames()
{
    m_buffer += m_socket.readAll();
    while (m_buffer.size() >= 2) {
        const quint8 opcode = quint8(m_buffer.at(0)) & 0x0f;
        quint64 length = quint8(m_buffer.at(1)) & 0x7f;
        qsizetype offset = 2;
        if (length == 126) {
            if (m_buffer.size() < 4)
                return;
            length = qFromBigEndian<quint16>(m_buffer.constData() + 2);
            offset = 4;
        } else if (length == 127) {
            if (m_buffer.size() < 10)
                return;
            length = qFromBigEndian<quint64>(m_buffer.constData() + 2);
            offset = 10;
        }
        if (quint64(m_buffer.size() - offset) < length)
            return;
        const QByteArray payload = m_buffer.mid(offset, qsizetype(length));
        m_buffer.remove(0, offset + qsizetype(length));
        if (opcode == 0x8 && payload.size() >= 2)
            m_closeCode = qFromBigEndian<quint16>(payload.constData());
        else if (opcode == 0x1 || opcode == 0x2)
            m_messages.append(payload);
        else if (opcode == 0xA)
            m_pongs.append(payload);
    }
}

QByteArray RawClient::unmaskedFrame(const QByteArray &payload)
{
    Q_ASSERT(payload.size() < 126);
    QByteArray bytes;
    bytes.append(char(0x81));
    bytes.append(char(payload.size())); // no extended length, and no mask bit
    bytes.append(payload);
    return bytes;
}

std::unique_ptr<RawClient> rawMember(const QUrl &url, const QString &clientId, const QString &room)
{
    auto raw = std::make_unique<RawClient>();
    const bool connected = url.scheme() == u"wss"_s ? raw->connectEncrypted(url) : raw->connectTo(url);
    if (!connected || !raw->upgrade(url))
        return nullptr;
    TestClient identity(clientId, u"Raw"_s);
    raw->sendHello(identity.hello(room));
    const bool synced = waitUntil([&raw] {
        for (const QByteArray &message : raw->messagesReceived()) {
            const proto::DecodeResult result = proto::decode(message, limits::MaxServerMessageBytes);
            if (result.ok() && proto::typeOf(result.message()) == proto::MessageType::Synced)
                return true;
        }
        return false;
    });
    return synced ? std::move(raw) : nullptr;
}

std::optional<quint16> RawClient::closeCodeReceived()
{
    readFrames();
    return m_closeCode;
}

QList<QByteArray> RawClient::messagesReceived()
{
    readFrames();
    return m_messages;
}

QList<QByteArray> RawClient::pongsReceived()
{
    readFrames();
    return m_pongs;
}

proto::Item strokeItem(const QString &id, int points)
{
    proto::Item item;
    item.id = id;
    item.kind = proto::ItemKind::Stroke;
    item.colour = 0xff1e88e5;
    item.width = 3;
    for (int i = 0; i < points; ++i)
        item.points.append(QPointF(i * 1.5, -i * 0.25));
    return item;
}

// ---------------------------------------------------------------------------------------------- DatabaseProbe

DatabaseProbe::DatabaseProbe(const QString &dataDirOrFile)
    : m_name(u"probe-%1"_s.arg(quintptr(this)))
{
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
    db.setDatabaseName(dataDirOrFile.endsWith(u".sqlite"_s) ? dataDirOrFile : dataDirOrFile + u"/inkroom.sqlite"_s);
    db.open();
}

DatabaseProbe::~DatabaseProbe()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_name);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_name);
}

qint64 DatabaseProbe::number(const QString &sql)
{
    QSqlQuery q(QSqlDatabase::database(m_name));
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

QList<qint64> DatabaseProbe::numbers(const QString &sql)
{
    QList<qint64> values;
    QSqlQuery q(QSqlDatabase::database(m_name));
    if (!q.exec(sql))
        return values;
    while (q.next())
        values.append(q.value(0).toLongLong());
    return values;
}

QByteArray DatabaseProbe::bytes(const QString &sql)
{
    QSqlQuery q(QSqlDatabase::database(m_name));
    if (!q.exec(sql) || !q.next())
        return {};
    return q.value(0).toByteArray();
}

bool DatabaseProbe::exec(const QString &sql)
{
    QSqlQuery q(QSqlDatabase::database(m_name));
    return q.exec(sql);
}

int TestClient::streamUntilAcked(const QList<proto::Op> &ops, int window, int ackedAtLeast)
{
    int sent = 0;
    const bool reached = waitUntil([&] {
        const int acked = count<proto::Ack>();
        if (acked >= ackedAtLeast)
            return true;
        while (sent < ops.size() && sent - acked < window)
            send(ops.at(sent++));
        return false;
    });
    if (!reached)
        return -1;
    for (int i = 0; i < window && sent < ops.size(); ++i)
        send(ops.at(sent++));
    socket().flush();
    return sent;
}

} // namespace inkroom::test
