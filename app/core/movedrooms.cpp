#include "movedrooms.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace inkroom::client {

namespace {

//! Rooms whose moves are kept at most; the oldest record goes first.
constexpr qsizetype MaxRecords = 200;

QJsonArray readRooms(const QString &path)
{
    QFile file(path);
    if (path.isEmpty() || !file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object().value("rooms"_L1).toArray();
}

} // namespace

MovedRooms::MovedRooms(const QString &directory)
    : m_path(directory.isEmpty() ? QString() : QDir(directory).filePath(u"moved-rooms.json"_s))
{ }

MovedRooms::Address MovedRooms::resolve(const QUrl &url, const QString &room) const
{
    const QString server = url.toString();
    Address address {url, {}, server};
    for (const QJsonValue &value : readRooms(m_path)) {
        const QJsonObject record = value.toObject();
        if (record.value("room"_L1).toString() != room)
            continue;
        const QUrl to(record.value("url"_L1).toString());
        if (!to.isValid() || (to.scheme() != "ws"_L1 && to.scheme() != "wss"_L1))
            continue;
        // Joined by the old address (a link, an old recent room) or by the new one: the same journal either way.
        if (record.value("server"_L1).toString() == server || to == url)
            return {to, record.value("fp"_L1).toString(), record.value("server"_L1).toString()};
    }
    return address;
}

bool MovedRooms::record(const QString &journalServer, const QString &room, const QUrl &url, const QString &fingerprint,
                        QString *error)
{
    if (m_path.isEmpty())
        return true;
    const auto failed = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    if (!QDir().mkpath(QFileInfo(m_path).absolutePath()))
        return failed(u"cannot create the folder of %1"_s.arg(m_path));
    // Another window or inkroom-cli may follow a room at the same moment: read, change and write under a lock.
    QLockFile lock(m_path + u".lock"_s);
    if (!lock.tryLock(5000))
        return failed(u"%1 is locked by another process"_s.arg(m_path));
    QJsonArray rooms;
    for (const QJsonValue &value : readRooms(m_path)) {
        const QJsonObject kept = value.toObject();
        if (kept.value("server"_L1).toString() != journalServer || kept.value("room"_L1).toString() != room)
            rooms.append(kept);
    }
    // Back where it was first joined: the journal's own address needs no record.
    if (url.toString() != journalServer) {
        rooms.prepend(QJsonObject {{"server"_L1, journalServer},
                                   {"room"_L1, room},
                                   {"url"_L1, url.toString()},
                                   {"fp"_L1, fingerprint},
                                   {"moved"_L1, QDateTime::currentDateTimeUtc().toString(Qt::ISODate)}});
    }
    while (rooms.size() > MaxRecords)
        rooms.removeLast();
    QSaveFile file(m_path);
    const QByteArray bytes = QJsonDocument(QJsonObject {{"rooms"_L1, rooms}}).toJson();
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return failed(u"cannot write %1: %2"_s.arg(m_path, file.errorString()));
    return true;
}

} // namespace inkroom::client
