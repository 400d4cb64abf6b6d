#include "historycache.h"

#include "privatefiles.h"
#include "protocollimits.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace inkroom::client {

//! Does the file work of a HistoryCache on its thread.
class HistoryCacheWorker : public QObject
{
    Q_OBJECT

public:
    void load(const QString &path)
    {
        QList<proto::Item> items;
        QList<proto::Op> ops;
        quint64 seq = 0;
        bool found = false;
        QFile file(path);
        if (!path.isEmpty() && file.open(QIODevice::ReadOnly)) {
            bool inBase = true;
            while (!file.atEnd()) {
                const QByteArray line = file.readLine(limits::MaxServerMessageBytes + 2).trimmed();
                if (line.isEmpty())
                    continue;
                const proto::DecodeResult decoded = proto::decode(line, limits::MaxServerMessageBytes);
                if (!decoded.ok())
                    break; // a torn or damaged end: the history up to it stands
                if (const auto *snapshot = std::get_if<proto::Snapshot>(&decoded.message())) {
                    if (!inBase || (found && snapshot->seq != seq))
                        break;
                    seq = snapshot->seq;
                    items += snapshot->items;
                    found = true;
                } else if (const auto *op = std::get_if<proto::Op>(&decoded.message())) {
                    const quint64 last = ops.isEmpty() ? seq : ops.constLast().seq;
                    if (!found || op->seq <= last)
                        break;
                    inBase = false;
                    ops.append(*op);
                } else {
                    break;
                }
            }
        }
        Q_EMIT loaded(path, found, seq, items, ops);
    }

    void saveBase(const QString &path, quint64 seq, const QList<proto::Item> &items)
    {
        if (path.isEmpty() || !files::makePrivateDirectory(QFileInfo(path).absolutePath())) {
            Q_EMIT problem(u"cannot keep the room's history in %1"_s.arg(path));
            return;
        }
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            Q_EMIT problem(u"cannot keep the room's history in %1: %2"_s.arg(path, file.errorString()));
            return;
        }
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        qsizetype at = 0;
        do {
            proto::Snapshot chunk {seq, items.mid(at, limits::MaxItemsPerSnapshotChunk)};
            at += limits::MaxItemsPerSnapshotChunk;
            file.write(proto::encode(chunk) + '\n');
        } while (at < items.size());
        if (!file.flush())
            Q_EMIT problem(u"cannot keep the room's history in %1: %2"_s.arg(path, file.errorString()));
    }

    void saveOps(const QString &path, const QList<proto::Op> &ops)
    {
        QFile file(path);
        if (path.isEmpty() || !file.exists() || !file.open(QIODevice::Append))
            return; // no base kept: ops alone are no history
        QByteArray bytes;
        for (const proto::Op &op : ops)
            bytes += proto::encode(op) + '\n';
        if (file.write(bytes) != bytes.size() || !file.flush())
            Q_EMIT problem(u"cannot keep the room's history in %1: %2"_s.arg(path, file.errorString()));
    }

Q_SIGNALS:
    void loaded(const QString &path, bool found, quint64 seq, const QList<inkroom::proto::Item> &items,
                const QList<inkroom::proto::Op> &ops);
    void problem(const QString &message);
};

HistoryCache::HistoryCache(QObject *parent)
    : QObject(parent)
    , m_worker(new HistoryCacheWorker)
{
    qRegisterMetaType<QList<proto::Item>>();
    qRegisterMetaType<QList<proto::Op>>();
    m_thread.setObjectName(u"inkroom-history"_s);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &HistoryCacheWorker::loaded, this, &HistoryCache::loaded);
    connect(m_worker, &HistoryCacheWorker::problem, this, &HistoryCache::problem);
    m_thread.start();
}

HistoryCache::~HistoryCache()
{
    // Behind everything posted before it: what was to be written is on disk when this returns.
    QMetaObject::invokeMethod(
        m_worker, [] { QThread::currentThread()->quit(); }, Qt::QueuedConnection);
    m_thread.wait();
}

QString HistoryCache::pathFor(const QString &stateDirectory, const QString &server, const QString &room,
                              const QString &epoch)
{
    if (stateDirectory.isEmpty() || epoch.isEmpty())
        return {};
    const QByteArray key = (server + u'\n' + room + u'\n' + epoch).toUtf8();
    const QString name =
        QString::fromLatin1(QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex().left(32));
    return QDir(stateDirectory).filePath(u"history/"_s + name + u".jsonl"_s);
}

void HistoryCache::setPath(const QString &path)
{
    m_path = path;
}

void HistoryCache::load()
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, path = m_path] { worker->load(path); }, Qt::QueuedConnection);
}

void HistoryCache::saveBase(quint64 seq, const QList<proto::Item> &items)
{
    if (m_path.isEmpty())
        return;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, path = m_path, seq, items] { worker->saveBase(path, seq, items); },
        Qt::QueuedConnection);
}

void HistoryCache::saveOps(const QList<proto::Op> &ops)
{
    if (m_path.isEmpty() || ops.isEmpty())
        return;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, path = m_path, ops] { worker->saveOps(path, ops); }, Qt::QueuedConnection);
}

} // namespace inkroom::client

#include "historycache.moc"
