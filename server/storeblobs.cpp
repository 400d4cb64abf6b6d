// The image part of Store: blobs and unfinished uploads (docs/PROTOCOL.md, "Images").
#include "store.h"

#include "imagesniff.h"
#include "logging.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace inkroom::server {

bool Store::blobCounts(qint64 room, BlobCounts *out)
{
    if (!usable())
        return fail(u"cannot read images"_s, u"the database is closed"_s);
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(u"SELECT hash, size FROM blobs WHERE room = ?"_s);
    q.addBindValue(room);
    if (!q.exec())
        return fail(u"cannot read the room's images"_s, q.lastError().text());
    while (q.next())
        out->stored.insert(q.value(0).toString(), q.value(1).toLongLong());
    q.prepare(
        u"SELECT hash, size, \"offset\", length(data) FROM blob_parts WHERE room = ? ORDER BY hash, \"offset\""_s);
    q.addBindValue(room);
    if (!q.exec())
        return fail(u"cannot read the room's unfinished uploads"_s, q.lastError().text());
    while (q.next()) {
        const QString hash = q.value(0).toString();
        auto &entry = out->partial[hash];
        entry.first = q.value(1).toLongLong();
        // Parts follow each other from 0 (putBlobPart() keeps them so); anything else ends what counts.
        if (q.value(2).toLongLong() == entry.second)
            entry.second += q.value(3).toLongLong();
    }
    return true;
}

bool Store::putBlobPart(qint64 room, const QString &hash, qint64 size, qint64 offset, const QByteArray &data)
{
    if (!usable())
        return fail(u"cannot store an image"_s, u"the database is closed"_s);
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(u"INSERT INTO blob_parts (room, hash, size, \"offset\", data) VALUES (?, ?, ?, ?, ?) ON CONFLICT "
              "(room, hash, \"offset\") DO UPDATE SET size = excluded.size, data = excluded.data"_s);
    q.addBindValue(room);
    q.addBindValue(hash);
    q.addBindValue(size);
    q.addBindValue(offset);
    q.addBindValue(data);
    if (!q.exec())
        return fail(u"cannot store part of an image"_s, q.lastError().text());
    return true;
}

bool Store::finishBlob(qint64 room, const QString &hash, qint64 size, QString *why)
{
    why->clear();
    if (!usable())
        return fail(u"cannot store an image"_s, u"the database is not open"_s);
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QSqlQuery q(db);
    q.prepare(u"SELECT data FROM blob_parts WHERE room = ? AND hash = ? ORDER BY \"offset\""_s);
    q.addBindValue(room);
    q.addBindValue(hash);
    if (!q.exec())
        return fail(u"cannot read an uploaded image"_s, q.lastError().text());
    QByteArray bytes;
    bytes.reserve(size);
    while (q.next())
        bytes.append(q.value(0).toByteArray());
    q.finish();
    why->clear();
    if (bytes.size() != size)
        *why = u"the upload has %1 bytes, not the %2 it announced"_s.arg(bytes.size()).arg(size);
    else if (proto::blobHashOf(bytes) != hash)
        *why = u"the bytes' SHA-256 is not the hash they were uploaded under"_s;
    else if (QString header; !proto::sniffImage(bytes, &header))
        *why = header;
    if (!begin())
        return false;
    if (why->isEmpty()) {
        q.prepare(
            u"INSERT INTO blobs (room, hash, size, data) VALUES (?, ?, ?, ?) ON CONFLICT (room, hash) DO NOTHING"_s);
        q.addBindValue(room);
        q.addBindValue(hash);
        q.addBindValue(size);
        q.addBindValue(bytes);
        if (!q.exec()) {
            const QString error = q.lastError().text();
            q.finish();
            rollback();
            return fail(u"cannot store an image"_s, error);
        }
    }
    q.prepare(u"DELETE FROM blob_parts WHERE room = ? AND hash = ?"_s);
    q.addBindValue(room);
    q.addBindValue(hash);
    if (!q.exec()) {
        const QString error = q.lastError().text();
        q.finish();
        rollback();
        return fail(u"cannot store an image"_s, error);
    }
    q.finish();
    return commit();
}

bool Store::dropBlobParts(qint64 room, const QString &hash)
{
    if (!usable())
        return fail(u"cannot drop an unfinished upload"_s, u"the database is not open"_s);
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.prepare(u"DELETE FROM blob_parts WHERE room = ? AND hash = ?"_s);
    q.addBindValue(room);
    q.addBindValue(hash);
    if (!q.exec())
        return fail(u"cannot drop an unfinished upload"_s, q.lastError().text());
    return true;
}

std::optional<QByteArray> Store::blobChunk(qint64 room, const QString &hash, qint64 offset, qint64 maxBytes, bool *ok)
{
    *ok = usable();
    if (!*ok)
        return std::nullopt;
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    // substr() on a blob counts bytes, from 1: only the chunk is read, not the whole image.
    q.prepare(u"SELECT substr(data, ?, ?) FROM blobs WHERE room = ? AND hash = ?"_s);
    q.addBindValue(offset + 1);
    q.addBindValue(maxBytes);
    q.addBindValue(room);
    q.addBindValue(hash);
    if (!q.exec()) {
        *ok = fail(u"cannot read an image"_s, q.lastError().text());
        return std::nullopt;
    }
    if (!q.next())
        return std::nullopt;
    return q.value(0).toByteArray();
}

} // namespace inkroom::server
