// The Store's contract, run against both back ends (issue 17, items 1 and 5): the same test functions, one data row
// for SQLite and one for a real PostgreSQL that the test starts itself (a unix socket in a temporary directory, no
// TCP), with a fresh database for every row.
#include "postgresdialect.h"
#include "postgresfixture.h"
#include "protocol.h"
#include "serverharness.h"
#include "store.h"
#include "storelocation.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::server;

namespace {

constexpr int kBusyMs = 5000;

proto::Op op(proto::OpKind kind, quint64 seq, const QString &client, quint64 cseq)
{
    proto::Op o;
    o.kind = kind;
    o.seq = seq;
    o.cseq = cseq;
    o.client = client;
    o.author = client + u" name"_s;
    o.time = 1700000000000 + qint64(seq);
    if (kind == proto::OpKind::Add) {
        o.item = test::strokeItem(client + u':' + QString::number(cseq), 3);
    } else {
        o.text = u"message %1 with 'quotes', \\backslashes\\ and ünïcode"_s.arg(seq);
    }
    return o;
}

//! A PNG as far as the server looks at one (signature and header chunk), with every byte value in its body.
QByteArray pngBytes(int size)
{
    QByteArray bytes("\x89PNG\r\n\x1a\n", 8);
    bytes += QByteArray("\0\0\0\x0dIHDR\0\0\0\x10\0\0\0\x10", 16);
    while (bytes.size() < size)
        bytes += char(bytes.size() % 256);
    return bytes;
}

} // namespace

class TestServerStore : public QObject
{
    Q_OBJECT

    test::PostgresServer m_postgres;
    QString m_postgresProblem;
    QTemporaryDir m_dir;
    int m_files = 0;

    //! A new, empty database of this back end.
    StoreLocation newLocation(const QString &backend)
    {
        if (backend == "sqlite"_L1)
            return StoreLocation::sqlite(m_dir.filePath(u"store-%1.sqlite"_s.arg(++m_files)));
        QString why;
        const QString url = m_postgres.createDatabase(&why);
        if (url.isEmpty())
            qFatal("%s", qPrintable(why));
        QString error;
        const std::optional<StoreLocation> location = StoreLocation::parse(url, &error);
        if (!location)
            qFatal("%s", qPrintable(error));
        return *location;
    }

    static void addBackends()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << u"sqlite"_s;
        QTest::newRow("postgresql") << u"postgresql"_s;
    }

    //! Commit ops in one transaction, with the clients' records and the head, as Rooms::commit() does.
    static bool commitOps(Store &store, qint64 room, const QList<proto::Op> &ops)
    {
        if (!store.begin())
            return false;
        bool ok = true;
        for (const proto::Op &o : ops) {
            ok = ok && store.insertOp(room, o, proto::encode(o));
            ok = ok && store.upsertClient(room, o.client, ClientRecord {o.cseq, o.seq, o.cseq, {}, {}, false});
        }
        ok = ok && store.setHead(room, ops.constLast().seq);
        if (!ok || !store.commit()) {
            store.rollback();
            return false;
        }
        return true;
    }

    static QList<quint64> seqsAfter(Store &store, qint64 room, quint64 after)
    {
        QList<quint64> seqs;
        if (!store.visitOpsAfter(room, after, [&seqs](quint64 seq, const QByteArray &) {
                seqs.append(seq);
                return true;
            }))
            seqs.append(0);
        return seqs;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // A missing PostgreSQL fails the test with the reason: CI installs it, and a skip would hide a lost back end.
        QVERIFY2(m_postgres.start(&m_postgresProblem), qPrintable(m_postgresProblem));
    }

    void parsesStoreUrls()
    {
        QString error;
        auto l =
            StoreLocation::parse(u"postgresql://ann:s%40cret@db.example.org:6543/rooms?sslmode=verify-full"_s, &error);
        QVERIFY2(l, qPrintable(error));
        QCOMPARE(l->kind, StoreLocation::Kind::Postgres);
        QCOMPARE(l->user, u"ann"_s);
        QCOMPARE(l->password, u"s@cret"_s);
        QCOMPARE(l->host, u"db.example.org"_s);
        QCOMPARE(l->port, 6543);
        QCOMPARE(l->dbname, u"rooms"_s);
        QCOMPARE(l->options, QStringList {u"sslmode=verify-full"_s});
        // The password is never shown.
        QVERIFY(!l->describe().contains(u"cret"_s));
        QCOMPARE(l->describe(), u"postgresql://ann@db.example.org:6543/rooms?sslmode=verify-full"_s);

        l = StoreLocation::parse(u"postgresql:///inkroom?host=/run/postgresql&user=ink&port=5433"_s, &error);
        QVERIFY2(l, qPrintable(error));
        QCOMPARE(l->host, u"/run/postgresql"_s);
        QCOMPARE(l->user, u"ink"_s);
        QCOMPARE(l->port, 5433);
        QCOMPARE(l->dbname, u"inkroom"_s);
        l = StoreLocation::parse(u"postgres://[::1]:5432/x"_s, &error);
        QVERIFY2(l, qPrintable(error));
        QCOMPARE(l->host, u"::1"_s);
        l = StoreLocation::parse(u"postgresql://%2Fvar%2Frun%2Fpostgresql/db"_s, &error);
        QVERIFY2(l, qPrintable(error));
        QCOMPARE(l->host, u"/var/run/postgresql"_s);
        l = StoreLocation::parse(u"sqlite:/srv/inkroom/rooms.sqlite"_s, &error);
        QVERIFY2(l, qPrintable(error));
        QCOMPARE(l->kind, StoreLocation::Kind::Sqlite);
        QCOMPARE(l->path, u"/srv/inkroom/rooms.sqlite"_s);

        for (const QString &bad : {u"mysql://x/y"_s, u"sqlite:"_s, u"postgresql://host:99999/db"_s,
                                   u"postgresql://host:port/db"_s, u"postgresql:///db?options=-c%20x"_s,
                                   u"postgresql:///db?sslmode=a;b"_s, u"postgresql://[::1/db"_s, u"/just/a/path"_s}) {
            error.clear();
            QVERIFY2(!StoreLocation::parse(bad, &error), qPrintable(bad));
            QVERIFY2(!error.isEmpty(), qPrintable(bad));
        }
        // A refused URI with a password does not echo it.
        QVERIFY(!StoreLocation::parse(u"mysql://ann:hunter2@x/y"_s, &error));
        QVERIFY(!error.contains(u"hunter2"_s));
    }

    void roomsAndLog_data() { addBackends(); }
    void roomsAndLog()
    {
        QFETCH(QString, backend);
        Store store;
        QString error;
        QVERIFY2(store.open(newLocation(backend), kBusyMs, &error), qPrintable(error));

        RoomRecord design {};
        design.name = u"Design Review"_s;
        design.epoch = u"epoch-1"_s;
        design.passwordSalt = QByteArray("salt\0\x01\xff", 7);
        design.passwordHash = QByteArray(32, '\x5c');
        design.passwordIterations = 1000;
        QVERIFY(store.insertRoom(&design));
        QVERIFY(design.id > 0);
        RoomRecord other {};
        other.name = u"other"_s;
        other.epoch = u"epoch-2"_s;
        QVERIFY(store.insertRoom(&other));
        QVERIFY(other.id != design.id);
        // A second room of the same name (or one that looks the same) is refused by the database.
        RoomRecord again {};
        again.name = u"design review"_s;
        again.epoch = u"epoch-3"_s;
        QVERIFY(!store.insertRoom(&again));

        bool ok = false;
        auto found = store.findRoom(u"design  REVIEW"_s, &ok);
        QVERIFY(ok);
        QVERIFY(found);
        QCOMPARE(found->id, design.id);
        QCOMPARE(found->name, design.name);
        QCOMPARE(found->passwordSalt, design.passwordSalt);
        QCOMPARE(found->passwordHash, design.passwordHash);
        QCOMPARE(found->passwordIterations, 1000);
        QCOMPARE(found->head, quint64(0));
        QVERIFY(!store.findRoom(u"nobody"_s, &ok));
        QVERIFY(ok);
        QCOMPARE(store.storedRoomName(u"DESIGN review"_s, &ok), std::optional<QString>(design.name));
        QCOMPARE(store.roomNames(10, &ok), (QStringList {design.name, u"other"_s}));

        // Ops in two commits; chat and a direct message among them, and a second room's ops in between.
        const QString ann = u"client-ann-0001"_s;
        const QString bob = u"client-bob-0002"_s;
        QList<proto::Op> first;
        for (quint64 seq = 1; seq <= 50; ++seq)
            first.append(op(seq % 10 == 0 ? proto::OpKind::Chat : proto::OpKind::Add, seq, seq % 2 ? ann : bob, seq));
        QVERIFY2(commitOps(store, design.id, first), qPrintable(store.lastError()));
        QVERIFY(commitOps(store, other.id, {op(proto::OpKind::Add, 1, ann, 1)}));
        proto::Op direct = op(proto::OpKind::Direct, 51, ann, 51);
        direct.target = bob;
        QVERIFY(commitOps(store, design.id, {direct, op(proto::OpKind::Add, 52, bob, 52)}));

        QList<quint64> expected;
        for (quint64 seq = 21; seq <= 52; ++seq)
            expected.append(seq);
        QCOMPARE(seqsAfter(store, design.id, 20), expected);
        QList<LoggedOp> logged;
        QVERIFY(store.visitLogAfter(design.id, 49, [&logged](const LoggedOp &o) {
            logged.append(o);
            return true;
        }));
        QCOMPARE(logged.size(), 3);
        QCOMPARE(logged.at(1).recipient, bob);
        QCOMPARE(logged.at(1).body, proto::encode(direct));
        QVERIFY(logged.at(0).recipient.isEmpty());

        QList<ChatRecord> chat;
        QVERIFY(store.chatHistory(design.id, 3, &chat));
        QCOMPARE(chat.size(), 3);
        QCOMPARE(chat.at(2).recipient, bob);
        QCOMPARE(chat.at(2).sender, ann);
        QCOMPARE(chat.at(1).body, proto::encode(first.at(49)));
        QVERIFY(store.chatHistory(design.id, 100, &chat));
        QCOMPARE(chat.size(), 6);

        QHash<QString, ClientRecord> clients;
        QVERIFY(store.clients(design.id, &clients));
        QCOMPARE(clients.size(), 2);
        QCOMPARE(clients.value(bob).maxCseq, quint64(52));
        QCOMPARE(clients.value(ann).maxSeq, quint64(51));

        found = store.findRoom(design.name, &ok);
        QCOMPARE(found->head, quint64(52));
        QCOMPARE(store.findRoom(u"other"_s, &ok)->head, quint64(1));
    }

    //! A resend finds the op its (client, cseq) names; PostgreSQL also refuses to store a second op under them.
    void clientSequenceIsUnique_data() { addBackends(); }
    void clientSequenceIsUnique()
    {
        QFETCH(QString, backend);
        Store store;
        QString error;
        QVERIFY2(store.open(newLocation(backend), kBusyMs, &error), qPrintable(error));
        RoomRecord room {};
        room.name = u"dedupe"_s;
        room.epoch = u"e"_s;
        QVERIFY(store.insertRoom(&room));
        const QString ann = u"client-ann-0001"_s;
        const proto::Op original = op(proto::OpKind::Add, 1, ann, 7);
        QVERIFY(commitOps(store, room.id, {original}));
        bool ok = false;
        const std::optional<StoredOp> stored = store.findOp(room.id, ann, 7, &ok);
        QVERIFY(ok);
        QVERIFY(stored);
        QCOMPARE(stored->seq, quint64(1));
        QCOMPARE(stored->body, proto::encode(original));
        QVERIFY(!store.findOp(room.id, ann, 8, &ok));
        QVERIFY(ok);
        QVERIFY(!store.findOp(room.id, u"client-bob-0002"_s, 7, &ok));

        // The same seq twice is refused by both, and the whole batch with it: nothing of it is stored.
        QVERIFY(!commitOps(store, room.id, {op(proto::OpKind::Add, 2, ann, 8), op(proto::OpKind::Add, 1, ann, 9)}));
        QCOMPARE(seqsAfter(store, room.id, 0), QList<quint64> {1});
        if (backend == "postgresql"_L1) {
            // (room, client, cseq) is a constraint: a second op under them is refused, and its batch with it.
            QVERIFY(!commitOps(store, room.id, {op(proto::OpKind::Add, 2, ann, 8), op(proto::OpKind::Add, 3, ann, 7)}));
            QVERIFY2(store.lastError().contains(u"unique"_s, Qt::CaseInsensitive), qPrintable(store.lastError()));
            QCOMPARE(seqsAfter(store, room.id, 0), QList<quint64> {1});
        }
        QVERIFY(commitOps(store, room.id, {op(proto::OpKind::Add, 2, ann, 8)}));
        QCOMPARE(seqsAfter(store, room.id, 0), (QList<quint64> {1, 2}));
    }

    void rolesAndOwners_data() { addBackends(); }
    void rolesAndOwners()
    {
        QFETCH(QString, backend);
        Store store;
        QString error;
        QVERIFY2(store.open(newLocation(backend), kBusyMs, &error), qPrintable(error));
        RoomRecord room {};
        room.name = u"roles"_s;
        room.epoch = u"e"_s;
        QVERIFY(store.insertRoom(&room));
        const QString ann = u"client-ann-0001"_s;
        const QString bob = u"client-bob-0002"_s;
        const QByteArray annSecret(32, '\x01');
        QVERIFY(store.registerClient(room.id, ann, annSecret));
        // A client id keeps the first secret it was registered with.
        QVERIFY(store.registerClient(room.id, ann, QByteArray(32, '\x02')));
        QVERIFY(store.makeOwner(room.id, ann));
        QVERIFY(store.registerClient(room.id, bob, QByteArray(32, '\x03')));
        QVERIFY(store.begin());
        QVERIFY(store.upsertClient(room.id, bob,
                                   ClientRecord {0, 0, 0, {}, std::optional<proto::Role>(proto::Role::Viewer), true}));
        QVERIFY(store.setRoomControls(room.id, proto::Role::Viewer, true));
        QVERIFY(store.commit());

        QHash<QString, ClientRecord> clients;
        QVERIFY(store.clients(room.id, &clients));
        QCOMPARE(clients.value(ann).secretHash, annSecret);
        QCOMPARE(clients.value(ann).role, std::optional<proto::Role>(proto::Role::Owner));
        QCOMPARE(clients.value(bob).role, std::optional<proto::Role>(proto::Role::Viewer));
        QVERIFY(clients.value(bob).banned);
        QCOMPARE(clients.value(bob).secretHash, QByteArray(32, '\x03'));
        bool ok = false;
        const auto found = store.findRoom(u"roles"_s, &ok);
        QCOMPARE(found->defaultRole, proto::Role::Viewer);
        QVERIFY(found->locked);
    }

    void blobs_data() { addBackends(); }
    void blobs()
    {
        QFETCH(QString, backend);
        Store store;
        QString error;
        QVERIFY2(store.open(newLocation(backend), kBusyMs, &error), qPrintable(error));
        RoomRecord room {};
        room.name = u"images"_s;
        room.epoch = u"e"_s;
        QVERIFY(store.insertRoom(&room));
        const QByteArray image = pngBytes(5000);
        const QString hash = proto::blobHashOf(image);
        QVERIFY(store.putBlobPart(room.id, hash, image.size(), 0, image.first(2000)));
        QVERIFY(store.putBlobPart(room.id, hash, image.size(), 2000, image.sliced(2000, 2000)));
        Store::BlobCounts counts;
        QVERIFY(store.blobCounts(room.id, &counts));
        QCOMPARE(counts.partial.value(hash), (QPair<qint64, qint64>(5000, 4000)));
        // A chunk sent again replaces itself.
        QVERIFY(store.putBlobPart(room.id, hash, image.size(), 2000, image.sliced(2000, 2000)));
        QVERIFY(store.putBlobPart(room.id, hash, image.size(), 4000, image.sliced(4000)));
        QString why;
        QVERIFY(store.finishBlob(room.id, hash, image.size(), &why));
        QVERIFY2(why.isEmpty(), qPrintable(why));
        counts = {};
        QVERIFY(store.blobCounts(room.id, &counts));
        QCOMPARE(counts.stored.value(hash), qint64(5000));
        QVERIFY(counts.partial.isEmpty());
        bool ok = false;
        QCOMPARE(store.blobChunk(room.id, hash, 0, 3000, &ok), std::optional<QByteArray>(image.first(3000)));
        QCOMPARE(store.blobChunk(room.id, hash, 3000, 3000, &ok), std::optional<QByteArray>(image.sliced(3000)));
        QVERIFY(ok);
        QVERIFY(!store.blobChunk(room.id, u"0000"_s, 0, 10, &ok));
        QVERIFY(ok);

        // Bytes that are not what they claim are dropped, with why.
        QByteArray fake = pngBytes(100);
        const QString fakeHash = proto::blobHashOf(fake);
        fake[50] = 'x';
        QVERIFY(store.putBlobPart(room.id, fakeHash, fake.size(), 0, fake));
        QVERIFY(store.finishBlob(room.id, fakeHash, fake.size(), &why));
        QVERIFY(!why.isEmpty());
        counts = {};
        QVERIFY(store.blobCounts(room.id, &counts));
        QVERIFY(!counts.stored.contains(fakeHash));
        QVERIFY(!counts.partial.contains(fakeHash));
        QVERIFY(store.putBlobPart(room.id, fakeHash, 100, 0, fake.first(10)));
        QVERIFY(store.dropBlobParts(room.id, fakeHash));
        counts = {};
        QVERIFY(store.blobCounts(room.id, &counts));
        QVERIFY(counts.partial.isEmpty());
    }

    //! Snapshots are written a piece at a time, switched to, and what they replace is trimmed away.
    void snapshotsAndTrimming_data() { addBackends(); }
    void snapshotsAndTrimming()
    {
        QFETCH(QString, backend);
        Store store;
        QString error;
        QVERIFY2(store.open(newLocation(backend), kBusyMs, &error), qPrintable(error));
        RoomRecord room {};
        room.name = u"compacted"_s;
        room.epoch = u"e"_s;
        QVERIFY(store.insertRoom(&room));
        const QString ann = u"client-ann-0001"_s;
        QList<proto::Op> ops;
        for (quint64 seq = 1; seq <= 300; ++seq)
            ops.append(op(seq % 3 == 0 ? proto::OpKind::Chat : proto::OpKind::Add, seq, ann, seq));
        QVERIFY(commitOps(store, room.id, ops));

        // An older snapshot at 100, then the one at 200 in two pieces (the first written twice, as a retry does).
        QVERIFY(store.writeSnapshotPiece(room.id, 100, 0, "old"));
        QVERIFY(store.switchSnapshot(room.id, 100, 100, 1000));
        QVERIFY(store.writeSnapshotPiece(room.id, 200, 0, "first attempt"));
        QVERIFY(store.writeSnapshotPiece(room.id, 200, 0, QByteArray("piece\0zero\n", 11)));
        QVERIFY(store.writeSnapshotPiece(room.id, 200, 1, "piece one"));
        const std::optional<quint64> logStart = store.retainedLogStart(room.id, 100, 300, 50, 1 << 20);
        QCOMPARE(logStart, std::optional<quint64>(250));
        QVERIFY(store.switchSnapshot(room.id, 200, *logStart, 10));

        bool ok = false;
        auto found = store.findRoom(u"compacted"_s, &ok);
        QVERIFY(ok);
        QCOMPARE(found->snapshotSeq, quint64(200));
        QCOMPARE(found->logStart, quint64(250));
        QCOMPARE(found->snapshot, QByteArray("piece\0zero\npiece one", 20));
        quint64 seq = 0;
        QByteArray snapshot;
        QVERIFY(store.snapshotOf(room.id, &seq, &snapshot));
        QCOMPARE(seq, quint64(200));
        QCOMPARE(snapshot, found->snapshot);
        QList<ChatRecord> chat;
        QVERIFY(store.chatHistory(room.id, 1000, &chat));
        QCOMPARE(chat.size(), 10);
        QCOMPARE(chat.constLast().body, proto::encode(ops.at(299)));

        // Trim in small steps until nothing is left: the older snapshot and every op up to the log's start go.
        bool more = true;
        int steps = 0;
        while (more && steps < 1000) {
            QVERIFY(store.trimStep(room.id, 200, 250, 2000, &more));
            ++steps;
        }
        QVERIFY(steps > 1);
        QVERIFY(!more);
        QList<quint64> expected;
        for (quint64 s = 251; s <= 300; ++s)
            expected.append(s);
        QCOMPARE(seqsAfter(store, room.id, 0), expected);
        found = store.findRoom(u"compacted"_s, &ok);
        QCOMPARE(found->snapshot, QByteArray("piece\0zero\npiece one", 20));
        // Pieces and trimming commit without a sync of their own; every other commit syncs, as before them.
        QVERIFY(store.commitsAreSynced());
        QVERIFY(commitOps(store, room.id, {op(proto::OpKind::Add, 301, ann, 301)}));
        QVERIFY(store.commitsAreSynced());
    }

    //! SQLite's WAL is checkpointed into the database file soon after commits by a thread of its own, long before the
    //! commits' own (backstop) checkpoint at 16 MB of WAL would.
    void walIsCheckpointedOffTheServersThread()
    {
        const QString path = m_dir.filePath(u"checkpointed.sqlite"_s);
        Store store;
        QString error;
        QVERIFY2(store.open(StoreLocation::sqlite(path), kBusyMs, &error), qPrintable(error));
        RoomRecord room {};
        room.name = u"checkpointed"_s;
        room.epoch = u"e"_s;
        QVERIFY(store.insertRoom(&room));
        const QString ann = u"client-ann-0001"_s;
        const qint64 before = QFileInfo(path).size();
        // About 6 MB in 40 commits: well below the backstop.
        for (quint64 seq = 1; seq <= 40; ++seq) {
            proto::Op add = op(proto::OpKind::Add, seq, ann, seq);
            for (int i = 0; i < 10000; ++i)
                add.item.points.append(QPointF(100 + i * 1.37, 200 + (i % 7) * 0.91));
            QVERIFY(commitOps(store, room.id, {add}));
        }
        QVERIFY2(QTest::qWaitFor([&] { return QFileInfo(path).size() >= before + 4 * 1024 * 1024; }, 10000),
                 qPrintable(u"the database file has %1 bytes"_s.arg(QFileInfo(path).size())));
        QVERIFY(store.commitsAreSynced());
    }

    //! Close and open again: everything is still there.
    void reopens_data() { addBackends(); }
    void reopens()
    {
        QFETCH(QString, backend);
        const StoreLocation location = newLocation(backend);
        QString error;
        qint64 roomId = 0;
        const QString ann = u"client-ann-0001"_s;
        const QByteArray image = pngBytes(300);
        {
            Store store;
            QVERIFY2(store.open(location, kBusyMs, &error), qPrintable(error));
            RoomRecord room {};
            room.name = u"kept"_s;
            room.epoch = u"e"_s;
            QVERIFY(store.insertRoom(&room));
            roomId = room.id;
            QVERIFY(commitOps(store, roomId, {op(proto::OpKind::Add, 1, ann, 1), op(proto::OpKind::Chat, 2, ann, 2)}));
            QVERIFY(store.registerClient(roomId, ann, QByteArray(32, 'a')));
            QVERIFY(store.putBlobPart(roomId, proto::blobHashOf(image), image.size(), 0, image));
            QString why;
            QVERIFY(store.finishBlob(roomId, proto::blobHashOf(image), image.size(), &why));
            QVERIFY(store.writeSnapshotPiece(roomId, 1, 0, "board"));
            QVERIFY(store.switchSnapshot(roomId, 1, 0, 100));
            store.close();
            QVERIFY(!store.isOpen());
        }
        Store store;
        QVERIFY2(store.open(location, kBusyMs, &error), qPrintable(error));
        bool ok = false;
        const auto found = store.findRoom(u"kept"_s, &ok);
        QVERIFY(found);
        QCOMPARE(found->id, roomId);
        QCOMPARE(found->head, quint64(2));
        QCOMPARE(found->snapshot, QByteArray("board"));
        QCOMPARE(seqsAfter(store, roomId, 0), (QList<quint64> {1, 2}));
        QHash<QString, ClientRecord> clients;
        QVERIFY(store.clients(roomId, &clients));
        QCOMPARE(clients.value(ann).secretHash, QByteArray(32, 'a'));
        QCOMPARE(clients.value(ann).maxCseq, quint64(2));
        QCOMPARE(store.blobChunk(roomId, proto::blobHashOf(image), 0, 1000, &ok), std::optional<QByteArray>(image));
        QList<ChatRecord> chat;
        QVERIFY(store.chatHistory(roomId, 10, &chat));
        QCOMPARE(chat.size(), 1);
    }

    //! An empty database is given the whole schema; a database from a newer server is refused, untouched.
    void migrations_data() { addBackends(); }
    void migrations()
    {
        QFETCH(QString, backend);
        const StoreLocation location = newLocation(backend);
        const int version = backend == "sqlite"_L1 ? Store::SchemaVersion : PostgresDialect::SchemaVersion;
        QString error;
        {
            Store store;
            QVERIFY2(store.open(location, kBusyMs, &error), qPrintable(error));
            // Every table of the schema is there and usable.
            RoomRecord room {};
            room.name = u"fresh"_s;
            room.epoch = u"e"_s;
            QVERIFY(store.insertRoom(&room));
            QVERIFY(store.writeSnapshotPiece(room.id, 1, 0, "x"));
            QVERIFY(store.putBlobPart(room.id, u"h"_s, 10, 0, "0123"));
        }
        const auto schemaOf = [&]() -> QString {
            QString output;
            if (backend == "sqlite"_L1)
                return QString::number(
                    test::DatabaseProbe(location.path).number(u"SELECT value FROM meta WHERE key = 'schema'"_s));
            m_postgres.psql(location.dbname, u"SELECT value FROM meta WHERE key = 'schema'"_s, &output);
            return output.trimmed();
        };
        QCOMPARE(schemaOf(), QString::number(version));
        if (backend == "postgresql"_L1) {
            // The log's constraints several servers will rely on are in the schema.
            QString output;
            QVERIFY(
                m_postgres.psql(location.dbname,
                                u"SELECT string_agg(pg_get_constraintdef(oid), ' | ' ORDER BY 1) FROM pg_constraint "
                                "WHERE conrelid = 'ops'::regclass AND contype IN ('p', 'u')"_s,
                                &output));
            QVERIFY2(output.contains(u"PRIMARY KEY (room, seq)"_s), qPrintable(output));
            QVERIFY2(output.contains(u"UNIQUE (room, client, cseq)"_s), qPrintable(output));
            // A database that a newer server took further is refused, and left as it is.
            QVERIFY(m_postgres.psql(location.dbname, u"UPDATE meta SET value = '99' WHERE key = 'schema'"_s, &output));
            Store store;
            QVERIFY(!store.open(location, kBusyMs, &error));
            QVERIFY2(error.contains(u"newer inkroom-server"_s), qPrintable(error));
            QVERIFY(m_postgres.psql(location.dbname, u"SELECT value FROM meta WHERE key = 'schema'"_s, &output));
            QCOMPARE(output.trimmed(), u"99"_s);
            // Several servers share one database (issue 17): a second opens beside the first.
            QVERIFY(m_postgres.psql(location.dbname, u"UPDATE meta SET value = '1' WHERE key = 'schema'"_s, &output));
            QVERIFY2(store.open(location, kBusyMs, &error), qPrintable(error));
            Store second;
            QVERIFY2(second.open(location, kBusyMs, &error), qPrintable(error));
            QVERIFY(store.isShared() && second.isShared());
        }
    }

    /** The database stops mid-session (a crash: pg_ctl stop -m immediate) and comes back: the store reports the
     *  failure, what it failed to commit is not stored, and it works again by itself once the database is back. */
    void databaseGoesAway()
    {
        const StoreLocation location = newLocation(u"postgresql"_s);
        Store store;
        QString error;
        QVERIFY2(store.open(location, kBusyMs, &error), qPrintable(error));
        RoomRecord room {};
        room.name = u"restarted"_s;
        room.epoch = u"e"_s;
        QVERIFY(store.insertRoom(&room));
        const QString ann = u"client-ann-0001"_s;
        QVERIFY(commitOps(store, room.id, {op(proto::OpKind::Add, 1, ann, 1), op(proto::OpKind::Add, 2, ann, 2)}));

        QVERIFY2(m_postgres.stop(true, &error), qPrintable(error));
        QVERIFY(!commitOps(store, room.id, {op(proto::OpKind::Add, 3, ann, 3)}));
        QVERIFY(store.connectionLost());
        QVERIFY(!store.isOpen());
        QVERIFY2(store.lastError().contains(u"lost"_s), qPrintable(store.lastError()));
        bool ok = true;
        QVERIFY(!store.findRoom(u"restarted"_s, &ok));
        QVERIFY(!ok);
        // While it is away every call fails at once (no hang, no crash).
        QVERIFY(!store.begin());
        QVERIFY(!store.registerClient(room.id, ann, QByteArray(32, 'a')));

        QVERIFY2(m_postgres.restart(&error), qPrintable(error));
        // It connects again by itself (at most once a second) and goes on from what was committed.
        QVERIFY(QTest::qWaitFor([&] { return store.findRoom(u"restarted"_s, &ok).has_value() && ok; }, 10000));
        QVERIFY(!store.connectionLost());
        QCOMPARE(store.findRoom(u"restarted"_s, &ok)->head, quint64(2));
        QCOMPARE(seqsAfter(store, room.id, 0), (QList<quint64> {1, 2}));
        QVERIFY2(commitOps(store, room.id, {op(proto::OpKind::Add, 3, ann, 3)}), qPrintable(store.lastError()));
        QCOMPARE(seqsAfter(store, room.id, 0), (QList<quint64> {1, 2, 3}));
    }

    void unreachableDatabase()
    {
        Store store;
        QString error;
        StoreLocation location = newLocation(u"postgresql"_s);
        location.host = m_dir.filePath(u"no-such-socket-dir"_s);
        location.password = u"hunter2"_s;
        QVERIFY(!store.open(location, kBusyMs, &error));
        QVERIFY2(error.contains(u"cannot open"_s), qPrintable(error));
        QVERIFY2(!error.contains(u"hunter2"_s), qPrintable(error));
        QVERIFY(!store.isOpen());
        QVERIFY(!store.begin());
    }
};

QTEST_GUILESS_MAIN(TestServerStore)
#include "tst_server_store.moc"
