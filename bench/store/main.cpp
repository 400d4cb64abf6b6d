// inkroom-store-bench: ops committed per second for one room, on an SQLite file or a PostgreSQL database
// (docs/BENCHMARKS.md, "The store"). Two modes: the Store alone, in group commits of a fixed size as Rooms::commit()
// makes them; and a whole server in this process with one client that keeps a window of ops in flight and counts
// the acknowledgements (each sent only after its commit).
#include "protocol.h"
#include "protocollimits.h"
#include "server.h"
#include "store.h"
#include "storelocation.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>
#include <QWebSocket>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace inkroom;

namespace {

proto::Op strokeAdd(const QString &client, quint64 cseq, quint64 seq)
{
    proto::Op op;
    op.kind = proto::OpKind::Add;
    op.cseq = cseq;
    op.seq = seq;
    op.client = client;
    op.author = u"Bench"_s;
    op.time = 1700000000000;
    op.item.id = client + u':' + QString::number(cseq);
    op.item.colour = 0xff1e88e5;
    op.item.width = 3;
    for (int i = 0; i < 8; ++i)
        op.item.points.append(QPointF(i * 1.5, double(cseq % 100) - i * 0.25));
    return op;
}

struct Result
{
    qint64 ops = 0;
    double seconds = 0;
    QList<double> commitMs; //!< store mode: each commit's time
};

//! The Store alone: batches of batch ops spread over rooms rooms, each in one transaction with, per room, the claim of
//! its head (which a shared database checks), the client's record and the new head (with its notification), as
//! Room::writePending() writes them.
bool runStore(const server::StoreLocation &location, int batch, int rooms, double seconds, Result *result,
              QString *error)
{
    server::Store store;
    if (!store.open(location, 5000, error))
        return false;
    QList<server::RoomRecord> records;
    const qint64 stamp = QDateTime::currentMSecsSinceEpoch();
    for (int r = 0; r < rooms; ++r) {
        server::RoomRecord room;
        room.name = u"bench-%1-%2"_s.arg(stamp).arg(r);
        room.epoch = u"bench"_s;
        if (!store.insertRoom(&room)) {
            *error = store.lastError();
            return false;
        }
        records.append(room);
    }
    const QString client = u"client-bench-0001"_s;
    QList<quint64> heads(rooms, 0);
    qint64 ops = 0;
    QElapsedTimer total;
    total.start();
    while (total.elapsed() < seconds * 1000) {
        QElapsedTimer one;
        one.start();
        bool ok = store.begin();
        for (int r = 0; r < rooms && ok; ++r) {
            const int share = batch / rooms + (r < batch % rooms ? 1 : 0);
            if (share == 0)
                continue;
            const qint64 id = records.at(r).id;
            ok = store.claimHead(id, heads[r]);
            for (int i = 0; i < share && ok; ++i) {
                const quint64 seq = ++heads[r];
                const proto::Op op = strokeAdd(client, seq, seq);
                ok = store.insertOp(id, op, proto::encode(op));
                ++ops;
            }
            ok = ok
                && store.upsertClient(id, client, server::ClientRecord {heads[r], heads[r], heads[r], {}, {}, false});
            ok = ok && store.setHead(id, heads[r]);
        }
        ok = ok && store.commit();
        if (!ok) {
            *error = store.lastError();
            return false;
        }
        result->commitMs.append(double(one.nsecsElapsed()) / 1e6);
    }
    result->ops = ops;
    result->seconds = double(total.nsecsElapsed()) / 1e9;
    return true;
}

//! A server in this process on the store, and one client with window ops in flight: acknowledged ops per second.
bool runServer(const QString &storeUrl, int window, double seconds, Result *result, QString *error)
{
    QTemporaryDir dir;
    server::ServerConfig config;
    config.bind = QHostAddress::LocalHost;
    config.port = 0;
    config.dataDir = dir.path();
    config.store = storeUrl;
    config.insecure = true;
    config.ratePerSecond = 1e6;
    config.rateBurst = 1000000;
    config.rateMaxExcess = 1000000;
    config.opKibPerSecond = 1024 * 1024; // the store is measured here, not the byte rate of ops
    config.opBurstKib = 1024 * 1024;
    config.maxBoardItems = 10000000;
    server::Server server(config);
    if (!server.start(error))
        return false;
    QWebSocket socket;
    const QString client = u"client-bench-0001"_s;
    proto::Hello hello;
    hello.client = client;
    hello.secret = QString::fromLatin1(QCryptographicHash::hash("bench", QCryptographicHash::Sha256)
                                           .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    hello.name = u"Bench"_s;
    hello.room = u"bench-%1"_s.arg(QDateTime::currentMSecsSinceEpoch());
    quint64 sent = 0;
    qint64 acked = 0;
    qint64 measuredFrom = -1;
    bool synced = false;
    bool failed = false;
    QElapsedTimer clock;
    QEventLoop loop;
    const auto sendMore = [&] {
        while (qint64(sent) - acked < window) {
            ++sent;
            socket.sendBinaryMessage(proto::encode(strokeAdd(client, sent, 0)));
        }
    };
    QObject::connect(&socket, &QWebSocket::connected, &loop, [&] { socket.sendBinaryMessage(proto::encode(hello)); });
    QObject::connect(&socket, &QWebSocket::disconnected, &loop, [&] {
        *error = u"the server closed the connection: %1"_s.arg(socket.closeReason());
        failed = true;
        loop.quit();
    });
    // The server speaks in binary frames only.
    QObject::connect(&socket, &QWebSocket::binaryMessageReceived, &loop, [&](const QByteArray &bytes) {
        const proto::DecodeResult decoded = proto::decode(bytes, limits::MaxServerMessageBytes);
        if (!decoded.ok())
            return;
        const proto::Message &message = decoded.message();
        if (std::holds_alternative<proto::Synced>(message) && !synced) {
            synced = true;
            clock.start();
            sendMore();
        } else if (std::holds_alternative<proto::Ack>(message)) {
            ++acked;
            // The first second warms up (the room's first commits, the connection's buffers).
            if (measuredFrom < 0 && clock.elapsed() >= 1000) {
                measuredFrom = acked;
                clock.restart();
            }
            if (measuredFrom >= 0 && clock.elapsed() >= seconds * 1000) {
                loop.quit();
                return;
            }
            sendMore();
        } else if (const auto *reject = std::get_if<proto::Reject>(&message)) {
            *error = u"op %1 was refused: %2"_s.arg(reject->cseq).arg(reject->message);
            failed = true;
            loop.quit();
        }
    });
    // A run that stops making progress ends with a message, not a hang.
    QTimer::singleShot(int(seconds * 1000) + 30000, &loop, [&] {
        *error = u"no progress: %1 ops acknowledged"_s.arg(acked);
        failed = true;
        loop.quit();
    });
    socket.open(server.localUrl());
    loop.exec();
    QObject::disconnect(&socket, nullptr, &loop, nullptr);
    socket.abort();
    if (failed)
        return false;
    result->ops = acked - measuredFrom;
    result->seconds = double(clock.nsecsElapsed()) / 1e9;
    return true;
}

double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    return values.at(std::min(values.size() - 1, qsizetype(p * double(values.size()))));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"inkroom-store-bench"_s);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Ops committed per second for one room, on the store given (see "
                                     "docs/BENCHMARKS.md)."_s);
    parser.addHelpOption();
    const QCommandLineOption store(u"store"_s, u"sqlite:PATH or a postgresql:// URI (as inkroom-server --store)."_s,
                                   u"url"_s);
    const QCommandLineOption mode(u"mode"_s, u"store (the Store in group commits) or server (acks of one client)."_s,
                                  u"mode"_s, u"server"_s);
    const QCommandLineOption batch(u"batch"_s, u"store mode: ops per commit."_s, u"n"_s, u"100"_s);
    const QCommandLineOption rooms(u"rooms"_s, u"store mode: rooms each commit's ops are spread over."_s, u"n"_s,
                                   u"1"_s);
    const QCommandLineOption window(u"window"_s, u"server mode: ops in flight."_s, u"n"_s, u"200"_s);
    const QCommandLineOption duration(u"duration"_s, u"Seconds measured."_s, u"s"_s, u"5"_s);
    parser.addOptions({store, mode, batch, rooms, window, duration});
    parser.process(app);

    QTextStream out(stdout);
    QTextStream err(stderr);
    QString error;
    const std::optional<server::StoreLocation> location = server::StoreLocation::parse(parser.value(store), &error);
    if (!location) {
        err << "inkroom-store-bench: --store: " << error << Qt::endl;
        return 2;
    }
    const double seconds = std::max(0.5, parser.value(duration).toDouble());
    Result result;
    bool ok = false;
    if (parser.value(mode) == "store"_L1)
        ok = runStore(*location, std::max(1, parser.value(batch).toInt()),
                      std::clamp(parser.value(rooms).toInt(), 1, 1000), seconds, &result, &error);
    else if (parser.value(mode) == "server"_L1)
        ok = runServer(parser.value(store), std::max(1, parser.value(window).toInt()), seconds, &result, &error);
    else
        error = u"--mode is store or server"_s;
    if (!ok) {
        err << "inkroom-store-bench: " << error << Qt::endl;
        return 1;
    }
    out << (location->kind == server::StoreLocation::Kind::Sqlite ? "sqlite" : "postgresql") << ' '
        << parser.value(mode) << ": " << qint64(double(result.ops) / result.seconds) << " ops/s (" << result.ops
        << " ops in " << QString::number(result.seconds, 'f', 1) << " s)";
    if (!result.commitMs.isEmpty()) {
        out << ", " << result.commitMs.size() << " commits of " << parser.value(batch) << " ops in "
            << parser.value(rooms) << " room(s), p50 " << QString::number(percentile(result.commitMs, 0.5), 'f', 2)
            << " ms, p99 " << QString::number(percentile(result.commitMs, 0.99), 'f', 2) << " ms";
    }
    out << Qt::endl;
    return 0;
}
