#include "imagefiles.h"

#include "privatefiles.h"
#include "protocol.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace inkroom::client {

namespace {

bool writeFile(const QString &path, const QByteArray &bytes, bool sync, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = file.errorString();
        return false;
    }
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (file.write(bytes) != bytes.size() || !file.flush() || (sync && ::fsync(file.handle()) != 0)) {
        *error = file.errorString();
        file.cancelWriting();
        return false;
    }
    if (!file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

} // namespace

ImageFiles::ImageFiles(const QString &stateDirectory, qint64 cacheLimit)
    : m_cacheLimit(cacheLimit)
{
    if (stateDirectory.isEmpty())
        return;
    const QString base = QDir(stateDirectory).filePath(u"images"_s);
    if (files::makePrivateDirectory(base + u"/pending"_s) && files::makePrivateDirectory(base + u"/cache"_s))
        m_directory = base;
}

QString ImageFiles::pendingPath(const QString &hash) const
{
    return m_directory + u"/pending/"_s + hash;
}

QString ImageFiles::cachePath(const QString &hash) const
{
    return m_directory + u"/cache/"_s + hash;
}

bool ImageFiles::putPending(const QString &hash, const QByteArray &bytes, QString *error)
{
    if (!proto::isValidBlobHash(hash) || proto::blobHashOf(bytes) != hash) {
        *error = u"the image's bytes are not the ones named"_s;
        return false;
    }
    if (m_directory.isEmpty()) {
        m_memoryPending.insert(hash, bytes);
        return true;
    }
    if (QFileInfo::exists(pendingPath(hash)))
        return true;
    return writeFile(pendingPath(hash), bytes, true, error);
}

bool ImageFiles::putCached(const QString &hash, const QByteArray &bytes)
{
    if (!proto::isValidBlobHash(hash) || bytes.size() > m_cacheLimit)
        return false;
    if (m_directory.isEmpty()) {
        m_memoryCache.insert(hash, bytes);
        return true;
    }
    QString error;
    // Not synced: a cache file lost in a power cut is fetched again (and a damaged one fails its hash and is too).
    if (!writeFile(cachePath(hash), bytes, false, &error))
        return false;
    evict();
    return true;
}

void ImageFiles::settle(const QString &hash)
{
    if (m_directory.isEmpty()) {
        if (m_memoryPending.contains(hash))
            m_memoryCache.insert(hash, m_memoryPending.take(hash));
        return;
    }
    if (!QFileInfo::exists(pendingPath(hash)))
        return;
    QFile::remove(cachePath(hash));
    if (QFile::rename(pendingPath(hash), cachePath(hash)))
        evict();
}

std::optional<QByteArray> ImageFiles::read(const QString &hash)
{
    if (!proto::isValidBlobHash(hash))
        return std::nullopt;
    if (m_directory.isEmpty()) {
        if (m_memoryPending.contains(hash))
            return m_memoryPending.value(hash);
        if (m_memoryCache.contains(hash))
            return m_memoryCache.value(hash);
        return std::nullopt;
    }
    for (const QString &path : {pendingPath(hash), cachePath(hash)}) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        QByteArray bytes = file.read(2 * 1024 * 1024 * 1024LL - 1);
        file.close();
        if (proto::blobHashOf(bytes) != hash) {
            QFile::remove(path); // damaged: fetch it again
            continue;
        }
        if (path == cachePath(hash)) // most recently used
            QFile(path).setFileTime(QDateTime::currentDateTimeUtc(), QFileDevice::FileModificationTime);
        return bytes;
    }
    return std::nullopt;
}

bool ImageFiles::has(const QString &hash) const
{
    if (m_directory.isEmpty())
        return m_memoryPending.contains(hash) || m_memoryCache.contains(hash);
    return QFileInfo::exists(pendingPath(hash)) || QFileInfo::exists(cachePath(hash));
}

bool ImageFiles::hasPending(const QString &hash) const
{
    return m_directory.isEmpty() ? m_memoryPending.contains(hash) : QFileInfo::exists(pendingPath(hash));
}

qint64 ImageFiles::cacheBytes() const
{
    if (m_directory.isEmpty()) {
        qint64 total = 0;
        for (const QByteArray &bytes : m_memoryCache)
            total += bytes.size();
        return total;
    }
    qint64 total = 0;
    const QFileInfoList entries = QDir(m_directory + u"/cache"_s).entryInfoList(QDir::Files);
    for (const QFileInfo &entry : entries)
        total += entry.size();
    return total;
}

void ImageFiles::evict()
{
    QFileInfoList entries = QDir(m_directory + u"/cache"_s).entryInfoList(QDir::Files, QDir::Time | QDir::Reversed);
    qint64 total = 0;
    for (const QFileInfo &entry : std::as_const(entries))
        total += entry.size();
    // Oldest first (least recently used).
    for (const QFileInfo &entry : std::as_const(entries)) {
        if (total <= m_cacheLimit)
            break;
        if (QFile::remove(entry.absoluteFilePath()))
            total -= entry.size();
    }
}

} // namespace inkroom::client
