// Who may act as whom in a room, and what a cseq and an item id may mean, against the real server with clients that
// speak the raw protocol (docs/PROTOCOL.md, "Identity", "Item ids" and "Answers to ops"). A hostile member must not
// be able to take over another's client id, rewrite its history, or make its next shape vanish.
#include "closecodes.h"
#include "protocollimits.h"
#include "serverharness.h"
#include "store.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::proto;
using namespace inkroom::test;

namespace {

const QString kRoom = u"identity"_s;
const QString kAliceId = u"client-alice-0001"_s;

quint16 closeCode(CloseCode code)
{
    return quint16(code);
}

//! Has the client seen anybody leave or join under this client id since it joined?
bool sawPresenceOf(const TestClient &client, const QString &clientId)
{
    for (const Presence &presence : client.all<Presence>()) {
        if (presence.member.client == clientId)
            return true;
    }
    return false;
}

//! A chat op with this cseq.
Op chatOp(quint64 cseq, const QString &text)
{
    Op op;
    op.kind = OpKind::Chat;
    op.cseq = cseq;
    op.text = text;
    return op;
}

//! The statements schema 1 created, exactly as the server of protocol 1 ran them.
const char *const kSchemaV1[] = {
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS rooms ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE,"
    " epoch TEXT NOT NULL,"
    " created INTEGER NOT NULL,"
    " pw_salt BLOB, pw_hash BLOB, pw_iterations INTEGER NOT NULL DEFAULT 0,"
    " head INTEGER NOT NULL DEFAULT 0,"
    " snapshot_seq INTEGER NOT NULL DEFAULT 0,"
    " snapshot BLOB,"
    " log_start INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS ops ("
    " room INTEGER NOT NULL, seq INTEGER NOT NULL, client TEXT NOT NULL, cseq INTEGER NOT NULL,"
    " time INTEGER NOT NULL, author TEXT NOT NULL, kind TEXT NOT NULL, body BLOB NOT NULL,"
    " PRIMARY KEY (room, seq)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS ops_by_client ON ops (room, client, cseq)",
    "CREATE TABLE IF NOT EXISTS chat ("
    " room INTEGER NOT NULL, seq INTEGER NOT NULL, body BLOB NOT NULL,"
    " PRIMARY KEY (room, seq)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS clients ("
    " room INTEGER NOT NULL, client TEXT NOT NULL, max_cseq INTEGER NOT NULL, max_seq INTEGER NOT NULL,"
    " PRIMARY KEY (room, client)) WITHOUT ROWID",
    "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', '1')",
};

/** Write a schema 1 database the way a server of protocol 1 left it: a room with ops by kAliceId (her items 1 to 3,
 *  item 2 removed again) and a chat message, and her clients row, with no secret. */
bool writeSchema1Database(const QString &path)
{
    const QString name = u"v1-writer"_s;
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(path);
        ok = db.open();
        QSqlQuery q(db);
        for (const char *sql : kSchemaV1)
            ok = ok && q.exec(QString::fromLatin1(sql));
        ok = ok
            && q.exec(
                u"INSERT INTO rooms (id, name, epoch, created, head) VALUES (1, '%1', '00000000000000e1', 0, 5)"_s.arg(
                    kRoom));
        QList<Op> ops;
        for (quint64 n = 1; n <= 3; ++n) {
            Op add;
            add.kind = OpKind::Add;
            add.cseq = n;
            add.item = strokeItem(kAliceId + u':' + QString::number(n), 3);
            ops.append(add);
        }
        Op remove;
        remove.kind = OpKind::Remove;
        remove.cseq = 4;
        remove.ids = {kAliceId + u":2"_s};
        ops.append(remove);
        ops.append(chatOp(5, u"from the old days"_s));
        for (qsizetype i = 0; i < ops.size(); ++i) {
            Op &op = ops[i];
            op.seq = quint64(i + 1);
            op.client = kAliceId;
            op.author = u"Alice"_s;
            op.time = 1700000000000 + i;
            q.prepare(
                u"INSERT INTO ops (room, seq, client, cseq, time, author, kind, body) VALUES (1, ?, ?, ?, ?, ?, ?, ?)"_s);
            q.addBindValue(qint64(op.seq));
            q.addBindValue(op.client);
            q.addBindValue(qint64(op.cseq));
            q.addBindValue(op.time);
            q.addBindValue(op.author);
            q.addBindValue(opKindName(op.kind));
            q.addBindValue(encode(op));
            ok = ok && q.exec();
            if (op.kind == OpKind::Chat) {
                q.prepare(u"INSERT INTO chat (room, seq, body) VALUES (1, ?, ?)"_s);
                q.addBindValue(qint64(op.seq));
                q.addBindValue(encode(op));
                ok = ok && q.exec();
            }
        }
        ok = ok
            && q.exec(u"INSERT INTO clients (room, client, max_cseq, max_seq) VALUES (1, '%1', 5, 5)"_s.arg(kAliceId));
        q = QSqlQuery();
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

} // namespace

class TestServerIdentity : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // ---------------------------------------------------------------------------------------------- identity

    void aForeignClientCannotTakeOverAMembersId()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient alice(kAliceId, u"Alice"_s), bob(QString(), u"Bob"_s);
        QVERIFY(alice.join(fixture.url(), kRoom));
        QVERIFY(bob.join(fixture.url(), kRoom));
        const quint64 before = alice.sendOp(alice.makeAdd());
        QVERIFY(alice.waitForAnswer(before));
        bob.clear();

        // With no secret at all: the hello does not decode (secret is required), close 4000.
        TestClient bare(kAliceId, u"Mallory"_s);
        QVERIFY(bare.connectTo(fixture.url()));
        QJsonObject hello = QJsonDocument::fromJson(encode(bare.hello(kRoom))).object();
        hello.remove(u"secret"_s);
        bare.sendBytes(QJsonDocument(hello).toJson(QJsonDocument::Compact));
        QVERIFY(bare.waitForClose());
        QCOMPARE(bare.closeCode(), closeCode(CloseCode::BadHello));
        QCOMPARE(bare.last<Error>()->code, ErrorCode::MissingField);
        QCOMPARE(bare.last<Error>()->field, u"secret"_s);

        // With a secret of its own: bad_secret and close 4013, and it never gets a welcome.
        TestClient mallory(kAliceId, u"Mallory"_s);
        mallory.secret = u"mallorys-own-secret-0123456789"_s;
        QVERIFY(!mallory.join(fixture.url(), kRoom));
        QCOMPARE(mallory.closeCode(), closeCode(CloseCode::BadSecret));
        QCOMPARE(mallory.last<Error>()->code, ErrorCode::BadSecret);
        QVERIFY(mallory.last<Error>()->fatal);
        QCOMPARE(mallory.count<Welcome>(), 0);
        QVERIFY(!isRetryable(mallory.closeCode()));

        // Alice was not disturbed: still connected, still a member, and her next ops are acknowledged and seen.
        QVERIFY(alice.isConnected());
        QCOMPARE(alice.count<Error>(), 0);
        const quint64 after = alice.sendOp(alice.makeAdd());
        QVERIFY(alice.waitForAnswer(after));
        QVERIFY(alice.ackFor(after));
        QVERIFY(bob.waitFor<Op>());
        QCOMPARE(bob.last<Op>()->cseq, after);
        QCOMPARE(bob.last<Op>()->client, kAliceId);
        QCOMPARE(bob.last<Op>()->author, u"Alice"_s);
        QVERIFY(!sawPresenceOf(bob, kAliceId));
        TestClient late;
        QVERIFY(late.join(fixture.url(), kRoom));
        QCOMPARE(late.welcome()->members.size(), 3);
        QCOMPARE(late.welcome()->members.at(0), (Member {kAliceId, u"Alice"_s, alice.colour, false, Role::Owner}));
        QCOMPARE(late.boardSinceWelcome().size(), 2);
        // Only her own installation (her secret) takes her place.
        TestClient again(kAliceId, u"Alice"_s);
        QVERIFY(again.join(fixture.url(), kRoom));
        QVERIFY(alice.waitForClose());
        QCOMPARE(alice.closeCode(), closeCode(CloseCode::Replaced));
        QCOMPARE(again.welcome()->acked, after);
    }

    void theSecretIsKeptFromTheFirstJoinAndSurvivesARestart()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        {
            TestClient alice(kAliceId, u"Alice"_s);
            QVERIFY(alice.join(fixture.url(), kRoom));
            const quint64 cseq = alice.sendOp(alice.makeAdd());
            QVERIFY(alice.waitForAnswer(cseq));
            alice.close();
        }
        // Stored before the welcome: the hash (32 bytes), never the secret itself.
        const QByteArray secret = derivedSecret(kAliceId).toUtf8();
        {
            DatabaseProbe probe(fixture.dataDir());
            QCOMPARE(probe.bytes(u"SELECT secret_hash FROM clients WHERE client = '%1'"_s.arg(kAliceId)),
                     QCryptographicHash::hash(secret, QCryptographicHash::Sha256));
        }
        QVERIFY(fixture.restart());
        for (const QString &name : {u"/inkroom.sqlite"_s, u"/inkroom.sqlite-wal"_s}) {
            QFile file(fixture.dataDir() + name);
            if (file.open(QIODevice::ReadOnly))
                QVERIFY(!file.readAll().contains(secret));
        }

        // Nobody is connected as Alice now; her id is still hers.
        TestClient mallory(kAliceId, u"Mallory"_s);
        mallory.secret = u"mallorys-own-secret-0123456789"_s;
        QVERIFY(!mallory.join(fixture.url(), kRoom));
        QCOMPARE(mallory.closeCode(), closeCode(CloseCode::BadSecret));
        TestClient alice(kAliceId, u"Alice"_s);
        QVERIFY(alice.join(fixture.url(), kRoom));
        QCOMPARE(alice.welcome()->acked, 1u);
    }

    /** New client ids whose hellos arrive together are registered together (one commit), and each is on disk before
     *  its own welcome: the same id with another secret is refused, the same id twice replaces the first, a failed
     *  commit refuses every one of them (nothing welcomed, nothing half kept), and ids the room knows still join. */
    void newIdsJoiningTogetherAreEachStoredBeforeTheirWelcome()
    {
        ServerFixture fixture([](server::ServerConfig &config) { config.busyTimeoutMs = 100; });
        QVERIFY(fixture.start());
        TestClient known(u"client-known-0001"_s, u"Known"_s);
        QVERIFY(known.join(fixture.url(), kRoom));
        known.close();

        std::vector<std::unique_ptr<TestClient>> clients;
        for (int i = 0; i < 4; ++i)
            clients.push_back(
                std::make_unique<TestClient>(u"client-class-%1"_s.arg(i, 4, 10, QChar(u'0')), u"Pupil"_s));
        clients.push_back(std::make_unique<TestClient>(u"client-class-0000"_s, u"Twice"_s)); // same id and secret
        clients.push_back(std::make_unique<TestClient>(u"client-class-0001"_s, u"Mallory"_s));
        clients.back()->secret = u"mallorys-own-secret-0123456789"_s;
        for (const auto &client : clients)
            QVERIFY(client->connectTo(fixture.url()));
        for (const auto &client : clients)
            client->send(client->hello(kRoom));
        for (const auto &client : clients)
            QVERIFY(waitUntil([&client] { return client->welcome() || !client->isConnected(); }));

        // Ids 2 and 3 joined; of the two 0000s the later one replaced the earlier; of the two 0001s, the one that was
        // registered first has the id and the other was refused.
        QVERIFY(clients.at(2)->welcome() && clients.at(3)->welcome());
        QVERIFY(clients.at(0)->welcome() && clients.at(4)->welcome());
        QVERIFY(clients.at(0)->waitForClose());
        QCOMPARE(clients.at(0)->closeCode(), closeCode(CloseCode::Replaced));
        QVERIFY(clients.at(4)->isConnected());
        TestClient *pupil1 = clients.at(1).get();
        TestClient *mallory = clients.at(5).get();
        QVERIFY(pupil1->welcome().has_value() != mallory->welcome().has_value());
        TestClient *refused = pupil1->welcome() ? mallory : pupil1;
        QVERIFY(refused->waitForClose());
        QCOMPARE(refused->closeCode(), closeCode(CloseCode::BadSecret));

        // On disk, each with the secret of the installation that was welcomed.
        {
            DatabaseProbe probe(fixture.dataDir());
            QCOMPARE(probe.number(u"SELECT COUNT(*) FROM clients WHERE client LIKE 'client-class-%'"_s), 4);
            const TestClient *owner = pupil1->welcome() ? pupil1 : mallory;
            QCOMPARE(probe.bytes(u"SELECT secret_hash FROM clients WHERE client = 'client-class-0001'"_s),
                     QCryptographicHash::hash(owner->hello(kRoom).secret.toUtf8(), QCryptographicHash::Sha256));
        }

        // Another process holds the database's write lock longer than the server waits: new ids are refused (and
        // not welcomed), the id the room knows still gets in, and once the lock is gone the new ids join.
        DatabaseProbe lock(fixture.dataDir());
        QVERIFY(lock.exec(u"BEGIN IMMEDIATE"_s));
        TestClient late1(u"client-late-0001"_s, u"Late"_s), late2(u"client-late-0002"_s, u"Late"_s);
        QVERIFY(late1.connectTo(fixture.url()) && late2.connectTo(fixture.url()));
        late1.send(late1.hello(kRoom));
        late2.send(late2.hello(kRoom));
        for (TestClient *late : {&late1, &late2}) {
            QVERIFY(late->waitForClose());
            QVERIFY(!late->welcome());
            QCOMPARE(late->last<Error>()->code, ErrorCode::Internal);
        }
        TestClient knownAgain(u"client-known-0001"_s, u"Known"_s);
        QVERIFY(knownAgain.join(fixture.url(), kRoom));
        QVERIFY(lock.exec(u"ROLLBACK"_s));
        TestClient late1Again(u"client-late-0001"_s, u"Late"_s);
        QVERIFY(late1Again.join(fixture.url(), kRoom));

        // After a restart every welcomed id is still its installation's alone.
        QVERIFY(fixture.restart());
        for (const QString &id : {u"client-class-0002"_s, u"client-late-0001"_s}) {
            TestClient impostor(id, u"Impostor"_s);
            impostor.secret = u"an-impostors-secret-0123456789"_s;
            QVERIFY(!impostor.join(fixture.url(), kRoom));
            QCOMPARE(impostor.closeCode(), closeCode(CloseCode::BadSecret));
        }
    }

    void aWrongSecretCountsAsAFailedAttempt()
    {
        ServerFixture fixture([](server::ServerConfig &config) { config.maxPasswordFailures = 2; });
        QVERIFY(fixture.start());
        TestClient alice(kAliceId, u"Alice"_s);
        QVERIFY(alice.join(fixture.url(), kRoom));
        for (int i = 0; i < 2; ++i) {
            TestClient guess(kAliceId, u"Guess"_s);
            guess.secret = u"guessed-secret-number-%1-0123456"_s.arg(i);
            QVERIFY(!guess.join(fixture.url(), kRoom));
            QCOMPARE(guess.closeCode(), closeCode(CloseCode::BadSecret));
        }
        // The address is blocked before any secret is compared: even the right one learns nothing now.
        TestClient blocked(kAliceId, u"Alice"_s);
        QVERIFY(!blocked.join(fixture.url(), kRoom));
        QCOMPARE(blocked.closeCode(), closeCode(CloseCode::TooManyAttempts));
        QVERIFY(alice.isConnected());
        // A client id the room does not know yet has no secret to compare: it joins.
        TestClient newcomer;
        QVERIFY(newcomer.join(fixture.url(), kRoom));
    }

    void aSchema1DatabaseIsMigrated()
    {
        QTemporaryDir dir;
        QVERIFY(writeSchema1Database(dir.path() + u"/inkroom.sqlite"_s));
        ServerFixture fixture([&dir](server::ServerConfig &config) { config.dataDir = dir.path(); });
        QVERIFY(fixture.start());
        {
            DatabaseProbe probe(dir.path());
            QCOMPARE(probe.number(u"SELECT value FROM meta WHERE key = 'schema'"_s), server::Store::SchemaVersion);
            QCOMPARE(probe.number(u"SELECT max_item FROM clients"_s), 0);
            QCOMPARE(probe.number(u"SELECT COUNT(*) FROM clients WHERE secret_hash IS NULL"_s), 1);
            // Schema 7: the tables of large bodies have rowids (the body is not part of the key), with their keys.
            QCOMPARE(probe.number(u"SELECT COUNT(*) FROM sqlite_master WHERE name IN ('ops', 'snapshot_pieces') "
                                  "AND sql NOT LIKE '%WITHOUT ROWID%'"_s),
                     2);
            QCOMPARE(probe.number(u"SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND (name = "
                                  "'ops_by_client' OR tbl_name IN ('ops', 'snapshot_pieces'))"_s),
                     3);
            QCOMPARE(probe.number(u"SELECT COUNT(*) FROM ops"_s), 5);
        }
        // The room is as it was: its board, its chat, and what Alice committed.
        TestClient alice(kAliceId, u"Alice"_s);
        alice.nextCseq = 6;
        QVERIFY(alice.join(fixture.url(), kRoom));
        QCOMPARE(alice.welcome()->epoch, u"00000000000000e1"_s);
        QCOMPARE(alice.welcome()->head, 5u);
        QCOMPARE(alice.welcome()->acked, 5u);
        QCOMPARE(alice.boardSinceWelcome().size(), 2);
        QCOMPARE(alice.last<Op>()->text, u"from the old days"_s);
        // A repeat of her old op is recognised in the old log.
        Op old = chatOp(5, u"from the old days"_s);
        alice.send(old);
        QVERIFY(alice.waitForAnswer(5));
        QCOMPARE(alice.ackFor(5)->seq, 5u);
        QVERIFY(alice.ackFor(5)->duplicate);
        QCOMPARE(alice.ackFor(5)->time, 1700000000004);
        // Her first join after the migration gave her id its secret.
        TestClient mallory(kAliceId, u"Mallory"_s);
        mallory.secret = u"mallorys-own-secret-0123456789"_s;
        QVERIFY(!mallory.join(fixture.url(), kRoom));
        QCOMPARE(mallory.closeCode(), closeCode(CloseCode::BadSecret));
        // Her item numbers were taken from the board: item 2 (removed) may come back, item 4 is not anybody's yet.
        TestClient bob(QString(), u"Bob"_s);
        QVERIFY(bob.join(fixture.url(), kRoom));
        const quint64 restore = bob.sendOp(bob.makeAdd(3, kAliceId + u":2"_s));
        const quint64 claim = bob.sendOp(bob.makeAdd(3, kAliceId + u":4"_s));
        QVERIFY(bob.waitForAnswer(claim));
        QVERIFY(bob.ackFor(restore));
        QCOMPARE(bob.rejectFor(claim)->code, ErrorCode::NotYourItem);
    }

    void aNewerSchemaIsRefused()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        fixture.stop();
        {
            DatabaseProbe probe(fixture.dataDir());
            QVERIFY(probe.exec(u"UPDATE meta SET value = '99' WHERE key = 'schema'"_s));
        }
        server::Server server(fixture.config());
        QString error;
        QVERIFY(!server.start(&error));
        QVERIFY2(error.contains(u"newer"_s), qPrintable(error));
    }

    // ---------------------------------------------------------------------------------------------- cseqs

    void aCseqFarAheadIsRefused()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient alice(kAliceId, u"Alice"_s), bob;
        QVERIFY(alice.join(fixture.url(), kRoom));
        QVERIFY(bob.join(fixture.url(), kRoom));
        const quint64 first = alice.sendOp(alice.makeAdd());
        QVERIFY(alice.waitForAnswer(first));

        // The highest cseq there is (2^53 - 1): permanently refused, and the answer says how far the room is.
        Op far = alice.makeAdd();
        far.cseq = limits::MaxSequence - 1;
        alice.send(far);
        QVERIFY(alice.waitForAnswer(far.cseq));
        const Reject refused = *alice.rejectFor(far.cseq);
        QCOMPARE(refused, (Reject {far.cseq, ErrorCode::CseqAhead, refused.message, false, first}));
        // Just past the limit is refused too; exactly at it is fine.
        Op past = alice.makeAdd();
        past.cseq = first + limits::MaxCseqAhead + 1;
        alice.send(past);
        QVERIFY(alice.waitForAnswer(past.cseq));
        QCOMPARE(alice.rejectFor(past.cseq)->code, ErrorCode::CseqAhead);

        // The next normal op still works, and nothing of the refused ones reached anybody.
        const quint64 next = alice.sendOp(alice.makeAdd());
        QVERIFY(alice.waitForAnswer(next));
        QCOMPARE(withoutTime(*alice.ackFor(next)), (Ack {next, 2, false}));
        Op edge = alice.makeAdd();
        edge.cseq = next + limits::MaxCseqAhead;
        alice.send(edge);
        QVERIFY(alice.waitForAnswer(edge.cseq));
        QCOMPARE(withoutTime(*alice.ackFor(edge.cseq)), (Ack {edge.cseq, 3, false}));
        QVERIFY(bob.waitFor<Op>(3));
        QCOMPARE(bob.count<Op>(), 3);
        for (const Op &op : bob.all<Op>())
            QVERIFY(op.cseq != far.cseq && op.cseq != past.cseq);
    }

    void aReplayedCseqIsADuplicateOnlyWithTheSameChange()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient alice(kAliceId, u"Alice"_s), bob;
        QVERIFY(alice.join(fixture.url(), kRoom));
        QVERIFY(bob.join(fixture.url(), kRoom));
        const Op add = alice.makeAdd(5);
        alice.send(add);
        QVERIFY(alice.waitForAnswer(add.cseq));
        const Ack original = *alice.ackFor(add.cseq);
        QVERIFY(original.time > 0);

        // The same change: acknowledged again with the original's seq and time, not applied again.
        alice.clear();
        alice.send(add);
        QVERIFY(alice.waitFor<Ack>());
        QCOMPARE(*alice.last<Ack>(), (Ack {add.cseq, original.seq, true, original.time}));

        // Another change under that cseq: refused for good, with the highest cseq the room has for her.
        const Op chat = alice.makeChat(u"committed"_s);
        alice.send(chat);
        QVERIFY(alice.waitForAnswer(chat.cseq));
        for (const auto &[kind, changed] : std::initializer_list<std::pair<const char *, Op>> {
                 {"other points",
                  [&add] {
                      Op op = add;
                      op.item.points.last().rx() += 1;
                      return op;
                  }()},
                 {"other kind", chatOp(add.cseq, u"rewritten history"_s)},
                 {"other colour", [&add] {
                      Op op = add;
                      op.item.colour = 0xff000000;
                      return op;
                  }()}}) {
            alice.clear();
            alice.send(changed);
            QVERIFY2(waitUntil([&alice, &add] { return alice.rejectFor(add.cseq).has_value(); }), kind);
            QCOMPARE(alice.count<Ack>(), 0);
            QCOMPARE(*alice.rejectFor(add.cseq),
                     (Reject {add.cseq, ErrorCode::CseqReused, alice.rejectFor(add.cseq)->message, false, chat.cseq}));
        }

        // While the original is still in the pending batch: the same rules, in order behind it.
        alice.clear();
        const Op pending = alice.makeChat(u"in flight"_s);
        alice.send(pending);
        alice.send(pending);
        alice.send(chatOp(pending.cseq, u"in flight, changed"_s));
        QVERIFY(waitUntil([&alice, &pending] { return alice.rejectFor(pending.cseq).has_value(); }));
        QCOMPARE(alice.count<Ack>(), 2);
        QVERIFY(!alice.all<Ack>().at(0).duplicate);
        QCOMPARE(alice.all<Ack>().at(1),
                 (Ack {pending.cseq, alice.all<Ack>().at(0).seq, true, alice.all<Ack>().at(0).time}));
        QCOMPARE(alice.rejectFor(pending.cseq)->code, ErrorCode::CseqReused);
        QCOMPARE(alice.rejectFor(pending.cseq)->acked, std::optional<quint64>(pending.cseq));

        // Bob saw each change once; the log holds exactly three ops.
        QVERIFY(bob.waitFor<Op>(3));
        QTest::qWait(50);
        QCOMPARE(bob.count<Op>(), 3);
        QCOMPARE(bob.all<Op>().at(0).item, add.item);
    }

    void aCseqWhoseOpLeftTheLogIsRefused()
    {
        ServerFixture fixture([](server::ServerConfig &config) {
            config.compactEvery = 5;
            config.retainOps = 0;
        });
        QVERIFY(fixture.start());
        TestClient alice(kAliceId, u"Alice"_s);
        QVERIFY(alice.join(fixture.url(), kRoom));
        QList<Op> sent;
        for (int i = 0; i < 6; ++i) {
            sent.append(alice.makeChat(u"message %1"_s.arg(i)));
            alice.send(sent.last());
            QVERIFY(alice.waitForAnswer(sent.last().cseq));
        }
        DatabaseProbe probe(fixture.dataDir());
        QTRY_VERIFY_WITH_TIMEOUT(probe.number(u"SELECT MIN(cseq) FROM ops"_s) > 1, kWaitMs);
        // The same change, but the server can no longer compare it: never acknowledged as committed again.
        alice.clear();
        alice.send(sent.first());
        QVERIFY(alice.waitForAnswer(sent.first().cseq));
        QCOMPARE(alice.rejectFor(1)->code, ErrorCode::CseqReused);
        QCOMPARE(alice.rejectFor(1)->acked, std::optional<quint64>(6));
        // One still in the log is a duplicate.
        alice.send(sent.last());
        QVERIFY(alice.waitForAnswer(6));
        QVERIFY(alice.ackFor(6)->duplicate);
    }

    // ---------------------------------------------------------------------------------------------- item ids

    void aMembersFutureItemIdCannotBeTaken()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient alice(kAliceId, u"Alice"_s), bob(QString(), u"Bob"_s), mallory(QString(), u"Mallory"_s);
        QVERIFY(alice.join(fixture.url(), kRoom));
        QVERIFY(bob.join(fixture.url(), kRoom));
        QVERIFY(mallory.join(fixture.url(), kRoom));
        for (int i = 0; i < 2; ++i)
            alice.sendOp(alice.makeAdd());
        QVERIFY(alice.waitForAnswer(2));

        // Alice's next shape will be <alice>:3. Mallory tries to take it first, and ids of nobody in the room.
        const QString next = kAliceId + u":3"_s;
        const quint64 claim = mallory.sendOp(mallory.makeAdd(40, next));
        const quint64 stranger = mallory.sendOp(mallory.makeAdd(3, u"client-nobody-01:1"_s));
        const quint64 plain = mallory.sendOp(mallory.makeAdd(3, u"just-an-id"_s));
        QVERIFY(mallory.waitForAnswer(plain));
        for (const quint64 cseq : {claim, stranger, plain}) {
            QCOMPARE(mallory.rejectFor(cseq)->code, ErrorCode::NotYourItem);
            QVERIFY(!mallory.rejectFor(cseq)->retry);
        }

        // Alice's next shape is acknowledged and appears for everyone, as hers.
        const Op shape = alice.makeAdd(7);
        QCOMPARE(shape.item.id, next);
        alice.send(shape);
        QVERIFY(alice.waitForAnswer(shape.cseq));
        QVERIFY(alice.ackFor(shape.cseq));
        QVERIFY(bob.waitFor<Op>(3));
        QCOMPARE(bob.last<Op>()->item, shape.item);
        QVERIFY(mallory.waitFor<Op>(3));
        TestClient late;
        QVERIFY(late.join(fixture.url(), kRoom));
        const Board board = late.boardSinceWelcome();
        QVERIFY(board.item(next));
        Item expected = shape.item;
        expected.z = board.item(next)->z;
        QCOMPARE(*board.item(next), expected);
    }

    void aClientIdThatIsAPrefixOfAnotherCannotClaimItsIds()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        // "<a>:<n>" is made by <a>, the text before the last colon: client "ann-0001" does not own "ann-0001:2:5".
        TestClient tablet(u"ann-0001:2"_s, u"Ann's tablet"_s), prefix(u"ann-0001"_s, u"Prefix"_s);
        QVERIFY(tablet.join(fixture.url(), kRoom));
        QVERIFY(prefix.join(fixture.url(), kRoom));
        const quint64 claim = prefix.sendOp(prefix.makeAdd(3, u"ann-0001:2:1"_s));
        const quint64 own = prefix.sendOp(prefix.makeAdd(3, u"ann-0001:1"_s));
        QVERIFY(prefix.waitForAnswer(own));
        QCOMPARE(prefix.rejectFor(claim)->code, ErrorCode::NotYourItem);
        QVERIFY(prefix.ackFor(own));
        const Op shape = tablet.makeAdd();
        QCOMPARE(shape.item.id, u"ann-0001:2:1"_s);
        tablet.send(shape);
        QVERIFY(tablet.waitForAnswer(shape.cseq));
        QVERIFY(tablet.ackFor(shape.cseq));
    }

    void anotherMembersRemovedItemMayComeBack()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient alice(kAliceId, u"Alice"_s), bob(QString(), u"Bob"_s);
        QVERIFY(alice.join(fixture.url(), kRoom));
        QVERIFY(bob.join(fixture.url(), kRoom));
        const Op add = alice.makeAdd(6);
        alice.send(add);
        QVERIFY(alice.waitForAnswer(add.cseq));

        // Bob removes Alice's item and undoes that: the add brings it back under its old id.
        const auto removeAndRestore = [&bob, &add] {
            Op remove;
            remove.kind = OpKind::Remove;
            remove.cseq = bob.nextCseq++;
            remove.ids = {add.item.id};
            bob.send(remove);
            Op restore = add;
            restore.cseq = bob.nextCseq++;
            bob.send(restore);
            return restore.cseq;
        };
        quint64 restored = removeAndRestore();
        QVERIFY(bob.waitForAnswer(restored));
        QVERIFY(bob.ackFor(restored));
        QVERIFY(alice.waitFor<Op>(2));
        QCOMPARE(alice.last<Op>()->item, add.item);
        // Adding it again while it is on the board: item_exists, for anybody.
        const quint64 twice = bob.sendOp(bob.makeAdd(3, add.item.id));
        Op again = add;
        again.cseq = alice.nextCseq++;
        alice.send(again);
        QVERIFY(bob.waitForAnswer(twice));
        QVERIFY(alice.waitForAnswer(again.cseq));
        QCOMPARE(bob.rejectFor(twice)->code, ErrorCode::ItemExists);
        QCOMPARE(alice.rejectFor(again.cseq)->code, ErrorCode::ItemExists);
        QVERIFY(!alice.rejectFor(again.cseq)->retry);

        // The highest number Alice's adds reached is on disk: after a restart Bob may still restore item 1, and
        // still not take item 2.
        QVERIFY(fixture.restart());
        QVERIFY(bob.waitForClose());
        TestClient bobAgain(bob.clientId, u"Bob"_s);
        bobAgain.nextCseq = bob.nextCseq;
        QVERIFY(bobAgain.join(fixture.url(), kRoom));
        bob.nextCseq = bobAgain.nextCseq;
        restored = [&bobAgain, &add] {
            Op remove;
            remove.kind = OpKind::Remove;
            remove.cseq = bobAgain.nextCseq++;
            remove.ids = {add.item.id};
            bobAgain.send(remove);
            Op restore = add;
            restore.cseq = bobAgain.nextCseq++;
            bobAgain.send(restore);
            return restore.cseq;
        }();
        const quint64 claim = bobAgain.sendOp(bobAgain.makeAdd(3, kAliceId + u":2"_s));
        QVERIFY(bobAgain.waitForAnswer(claim));
        QVERIFY(bobAgain.ackFor(restored));
        QCOMPARE(bobAgain.rejectFor(claim)->code, ErrorCode::NotYourItem);
    }

    void anItemOnTheBoardCannotBeAddedAgain()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient alice(kAliceId, u"Alice"_s), bob;
        QVERIFY(alice.join(fixture.url(), kRoom));
        QVERIFY(bob.join(fixture.url(), kRoom));
        // In one batch: the second add of the same id is refused against the board as the batch will leave it.
        const Op first = alice.makeAdd(3, kAliceId + u":1"_s);
        const Op second = alice.makeAdd(9, kAliceId + u":1"_s);
        alice.send(first);
        alice.send(second);
        QVERIFY(alice.waitForAnswer(second.cseq));
        QVERIFY(alice.ackFor(first.cseq));
        QCOMPARE(*alice.rejectFor(second.cseq),
                 (Reject {second.cseq, ErrorCode::ItemExists, alice.rejectFor(second.cseq)->message, false}));
        // After a commit, and after a clear in the same batch it is free again.
        const Op third = alice.makeAdd(4, kAliceId + u":1"_s);
        alice.send(third);
        Op clear;
        clear.kind = OpKind::Clear;
        clear.cseq = alice.nextCseq++;
        alice.send(clear);
        const Op fourth = alice.makeAdd(5, kAliceId + u":1"_s);
        alice.send(fourth);
        QVERIFY(alice.waitForAnswer(fourth.cseq));
        QCOMPARE(alice.rejectFor(third.cseq)->code, ErrorCode::ItemExists);
        QVERIFY(alice.ackFor(clear.cseq));
        QVERIFY(alice.ackFor(fourth.cseq));
        QVERIFY(bob.waitFor<Op>(3));
        QTest::qWait(50);
        QCOMPARE(bob.count<Op>(), 3);
        QCOMPARE(bob.last<Op>()->item, fourth.item);
    }
};

QTEST_GUILESS_MAIN(TestServerIdentity)
#include "tst_server_identity.moc"
