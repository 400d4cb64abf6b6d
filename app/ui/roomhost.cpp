#include "roomhost.h"

#include "epolldispatcher.h"
#include "server.h"

#include <QDeadlineTimer>
#include <QStandardPaths>
#include <QUrl>

#include <utility>

using namespace Qt::StringLiterals;

namespace inkroom::ui {

namespace {
//! How long quitting waits for the server to say goodbye: its close grace (2 s) and the database's close, with room.
constexpr int kQuitWaitMs = 5000;
} // namespace

/** @brief The one owner of the hosted server, on the server's thread.
 *
 * It creates the server, shuts it down and deletes it (in release(), the only place that does), so no two paths can
 * race to destroy it. Requests arrive as queued calls in the order RoomHost made them; answers go back as signals.
 */
class HostWorker : public QObject
{
    Q_OBJECT

public:
    void start(quint64 generation, int port, const QString &dataDir, const QHostAddress &bind,
               const QString &announceAs, bool storedRoomsOnly)
    {
        Q_ASSERT(!m_server); // RoomHost starts only once the last server has gone (stopped)
        m_generation = generation;
        m_quitWhenStopped = false;
        const auto attempt = [&](int p, QString *error) -> std::unique_ptr<server::Server> {
            server::ServerConfig config;
            config.port = quint16(p);
            config.dataDir = dataDir;
            config.bind = bind;
            // Announced on the network under the user's name, unless the user turned it off (empty).
            config.announce = !announceAs.isEmpty();
            config.displayName = announceAs;
            config.storedRoomsOnly = storedRoomsOnly;
            auto s = std::make_unique<server::Server>(config);
            return s->start(error) ? std::move(s) : nullptr;
        };
        QString error;
        m_server = attempt(port, &error);
        if (!m_server && port != 0) {
            // The usual port is taken (another Inkroom?): any free port will do, the link carries it.
            QString second;
            m_server = attempt(0, &second);
        }
        if (!m_server) {
            Q_EMIT started(generation, error.isEmpty() ? RoomHost::tr("The server could not start.") : error, 0, {}, {},
                           {});
            return;
        }
        // Queued: the server is deleted after it has finished emitting, never inside its own signal.
        connect(m_server.get(), &server::Server::finished, this, &HostWorker::release, Qt::QueuedConnection);
        connect(m_server.get(), &server::Server::memberCountChanged, this,
                [this](int count) { Q_EMIT memberCount(m_generation, count); });
        QStringList addresses;
        for (const QUrl &url : m_server->joinUrls())
            addresses.append(url.toString());
        Q_EMIT started(generation, {}, m_server->port(), addresses, m_server->localUrl().toString(),
                       m_server->certificateFingerprint());
    }

    //! Shut the server down; release() follows its finished(). Without a server, stopped() at once.
    void stop()
    {
        if (m_server)
            m_server->shutdown(); // safe to call again while a shutdown is under way
        else
            Q_EMIT stopped(m_generation);
    }

    //! Close the rooms for everyone (they are told who closed them), then stop as stop() does.
    void closeForEveryone(const QString &closedBy)
    {
        if (m_server)
            m_server->closeForEveryone(closedBy);
        else
            Q_EMIT stopped(m_generation);
    }

    void keepOpen(const QString &room)
    {
        if (m_server)
            m_server->keepOpen(room);
    }

    void seed(const proto::RoomSeed &seed)
    {
        QString error = RoomHost::tr("The server is not running.");
        if (m_server && m_server->seedRoom(seed, &error))
            error.clear();
        Q_EMIT seeded(m_generation, error);
    }

    //! Quitting: stop, and end this thread once the server is gone.
    void quitWhenStopped()
    {
        m_quitWhenStopped = true;
        if (m_server)
            m_server->shutdown();
        else
            thread()->quit();
    }

Q_SIGNALS:
    void started(quint64 generation, const QString &error, int port, const QStringList &addresses, const QString &local,
                 const QString &fingerprint);
    void stopped(quint64 generation);
    void memberCount(quint64 generation, int count);
    void seeded(quint64 generation, const QString &error);

private:
    void release()
    {
        m_server.reset();
        Q_EMIT stopped(m_generation);
        if (m_quitWhenStopped)
            thread()->quit();
    }

    std::unique_ptr<server::Server> m_server;
    quint64 m_generation = 0;
    bool m_quitWhenStopped = false;
};

RoomHost::RoomHost(QObject *parent)
    : QObject(parent)
    , m_worker(std::make_unique<HostWorker>())
{
    m_thread.setObjectName(u"inkroom-host"_s);
    m_dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/hosted"_s;
    m_worker->moveToThread(&m_thread);
    connect(m_worker.get(), &HostWorker::started, this, &RoomHost::onStarted);
    connect(m_worker.get(), &HostWorker::stopped, this, &RoomHost::onStopped);
    connect(m_worker.get(), &HostWorker::memberCount, this, &RoomHost::onMemberCount);
    connect(m_worker.get(), &HostWorker::seeded, this, [this](quint64 generation, const QString &error) {
        if (generation == m_generation)
            Q_EMIT seeded(error);
    });
}

RoomHost::~RoomHost()
{
    // No statusChanged from here: whoever listens may be half destroyed already (it owns this host).
    finishThread();
    // m_worker belongs to the finished thread; destroying it from here is safe now. It owns no server any more,
    // unless the bounded wait ran out: then its server goes with it, without the goodbye.
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
    m_error.clear();
    if (m_status == Stopping) {
        // The last server is still saying goodbye and holds the data directory: start once it has gone.
        m_restartPort = port;
        setStatus(Starting);
        return;
    }
    setStatus(Starting);
    startWorker(port);
}

void RoomHost::startWorker(int port)
{
    if (!m_thread.isRunning()) {
        // Not GLib's dispatcher, which a thread of the desktop app gets by default: it searches its list of sources
        // whenever the server switches a socket's write notifier on or off, that is for every member's backlog.
        // Set before every start: a thread that finished deleted the last one.
        server::EpollDispatcher::installOn(m_thread);
        m_thread.start();
    }
    const quint64 generation = ++m_generation;
    QMetaObject::invokeMethod(
        m_worker.get(),
        [worker = m_worker.get(), generation, port, dir = m_dataDir, bind = m_bind, name = m_announceAs,
         storedOnly = m_storedRoomsOnly] { worker->start(generation, port, dir, bind, name, storedOnly); },
        Qt::QueuedConnection);
}

void RoomHost::onStarted(quint64 generation, const QString &error, int port, const QStringList &addresses,
                         const QString &local, const QString &fingerprint)
{
    if (generation != m_generation || m_status != Starting)
        return; // stopped meanwhile: the worker's stopped() follows
    if (!error.isEmpty()) {
        m_error = error;
        setStatus(Failed);
        return;
    }
    m_port = port;
    m_addresses = addresses;
    m_localAddress = local;
    m_fingerprint = fingerprint;
    setStatus(Running);
}

void RoomHost::stop()
{
    if (m_status == Stopping || m_status == Stopped || m_status == Failed)
        return;
    if (m_restartPort >= 0) {
        // Starting only in name: the start waits for the stop under way, whose stopped() still comes.
        m_restartPort = -1;
        setStatus(Stopping);
        return;
    }
    setStatus(Stopping);
    QMetaObject::invokeMethod(m_worker.get(), &HostWorker::stop, Qt::QueuedConnection);
}

void RoomHost::closeForEveryone(const QString &closedBy)
{
    if (m_status == Stopping || m_status == Stopped || m_status == Failed)
        return;
    if (m_restartPort >= 0) {
        m_restartPort = -1; // the server still stopping is already closing; nobody new was let in
        setStatus(Stopping);
        return;
    }
    setStatus(Stopping);
    QMetaObject::invokeMethod(
        m_worker.get(), [worker = m_worker.get(), closedBy] { worker->closeForEveryone(closedBy); },
        Qt::QueuedConnection);
}

void RoomHost::keepOpen(const QString &room)
{
    if (m_status != Running)
        return;
    QMetaObject::invokeMethod(
        m_worker.get(), [worker = m_worker.get(), room] { worker->keepOpen(room); }, Qt::QueuedConnection);
}

void RoomHost::seed(const proto::RoomSeed &seed)
{
    if (m_status != Running) {
        Q_EMIT seeded(tr("The server is not running."));
        return;
    }
    QMetaObject::invokeMethod(
        m_worker.get(), [worker = m_worker.get(), seed] { worker->seed(seed); }, Qt::QueuedConnection);
}

void RoomHost::onMemberCount(quint64 generation, int count)
{
    if (generation == m_generation && m_status == Running)
        setMemberCount(count);
}

void RoomHost::setMemberCount(int count)
{
    if (count == m_memberCount)
        return;
    m_memberCount = count;
    Q_EMIT memberCountChanged();
}

void RoomHost::onStopped(quint64 generation)
{
    if (generation != m_generation)
        return; // a server finishThread() already waited for
    clearServerDetails();
    if (m_restartPort >= 0) {
        // The data directory is free now: start the server start() asked for while this one was stopping.
        startWorker(std::exchange(m_restartPort, -1));
        setStatus(Starting);
        return;
    }
    setStatus(Stopped);
}

void RoomHost::clearServerDetails()
{
    m_port = 0;
    m_addresses.clear();
    m_localAddress.clear();
    m_fingerprint.clear();
    setMemberCount(0);
}

void RoomHost::stopAndWait()
{
    const Status before = m_status;
    finishThread();
    clearServerDetails();
    if (before != Stopped)
        Q_EMIT statusChanged();
}

void RoomHost::finishThread()
{
    m_restartPort = -1;
    if (!m_thread.isRunning())
        return;
    // Queued behind anything asked before (a start, a stop under way), so the worker sees them in order.
    QMetaObject::invokeMethod(m_worker.get(), &HostWorker::quitWhenStopped, Qt::QueuedConnection);
    if (!m_thread.wait(QDeadlineTimer(kQuitWaitMs))) {
        qWarning("inkroom: the hosted server did not stop in time; closing it without the goodbye");
        m_thread.quit();
        m_thread.wait();
    }
    // Reports the worker sent meanwhile are for a server that is gone; ignore them when they arrive.
    ++m_generation;
    m_status = Stopped;
}

} // namespace inkroom::ui

#include "roomhost.moc"
