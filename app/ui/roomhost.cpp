#include "roomhost.h"

#include "server.h"

#include <QEventLoop>
#include <QPointer>
#include <QStandardPaths>
#include <QTimer>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace inkroom::ui {

RoomHost::RoomHost(QObject *parent)
    : QObject(parent)
{
    m_thread.setObjectName(u"inkroom-host"_s);
    m_dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/hosted"_s;
    m_anchor.moveToThread(&m_thread);
}

RoomHost::~RoomHost()
{
    stopAndWait();
    // m_anchor belongs to the finished thread; destroying it from here is safe now.
}

void RoomHost::setStatus(Status status)
{
    m_status = status;
    Q_EMIT statusChanged();
}

void RoomHost::start(int port)
{
    if (m_status == Running || m_status == Starting)
        return;
    if (m_status == Stopping)
        stopAndWait();
    m_error.clear();
    setStatus(Starting);
    if (!m_thread.isRunning())
        m_thread.start();
    const QString dataDir = m_dataDir;
    // Build and start the server on its own thread; report back with a queued call.
    QMetaObject::invokeMethod(&m_anchor, [this, port, dataDir] {
        const auto attempt = [&dataDir](int p, QString *error) {
            server::ServerConfig config;
            config.port = quint16(p);
            config.dataDir = dataDir;
            auto *s = new server::Server(config);
            if (s->start(error))
                return s;
            delete s;
            return static_cast<server::Server *>(nullptr);
        };
        QString error;
        server::Server *s = attempt(port, &error);
        if (!s && port != 0) {
            // The usual port is taken (another Inkroom?): any free port will do, the link carries it.
            QString second;
            s = attempt(0, &second);
        }
        Started started;
        if (s) {
            for (const QUrl &url : s->joinUrls())
                started.addresses.append(url.toString());
            started.local = s->localUrl().toString();
            started.port = s->port();
            started.fingerprint = s->certificateFingerprint();
        }
        QMetaObject::invokeMethod(this, [this, s, error, started] {
            m_server = s;
            onStarted(s != nullptr, error, started);
        });
    });
}

void RoomHost::onStarted(bool ok, const QString &error, const Started &started)
{
    if (!ok) {
        m_error = error.isEmpty() ? tr("The server could not start.") : error;
        setStatus(Failed);
        return;
    }
    m_port = started.port;
    m_addresses = started.addresses;
    m_localAddress = started.local;
    m_fingerprint = started.fingerprint;
    setStatus(Running);
}

void RoomHost::stop()
{
    if (!m_server || m_status == Stopping)
        return;
    setStatus(Stopping);
    QObject *server = m_server;
    QMetaObject::invokeMethod(server, [this, server] {
        auto *s = static_cast<server::Server *>(server);
        connect(s, &server::Server::finished, s, [this, s] {
            delete s;
            QMetaObject::invokeMethod(this, [this] {
                m_server = nullptr;
                m_addresses.clear();
                m_localAddress.clear();
                m_fingerprint.clear();
                m_port = 0;
                setStatus(Stopped);
            });
        });
        s->shutdown();
    });
}

void RoomHost::stopAndWait()
{
    if (!m_thread.isRunning())
        return;
    if (m_server) {
        // Quitting: let the server say goodbye (close 1001) and flush, on its own thread, for a bounded time.
        // The guard is read on the server's thread, where a stop() already under way may have deleted it.
        const QPointer<QObject> server = m_server;
        QMetaObject::invokeMethod(
            &m_anchor,
            [server] {
                if (!server)
                    return;
                auto *s = static_cast<server::Server *>(server.data());
                QEventLoop loop;
                QObject::connect(s, &server::Server::finished, &loop, &QEventLoop::quit);
                QTimer::singleShot(s->config().closeGraceMs + 1000, &loop, &QEventLoop::quit);
                s->shutdown();
                loop.exec();
                delete s;
            },
            Qt::BlockingQueuedConnection);
        m_server = nullptr;
    }
    m_thread.quit();
    m_thread.wait();
    m_status = Stopped;
}

} // namespace inkroom::ui
