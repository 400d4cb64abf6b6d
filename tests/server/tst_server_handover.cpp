// A room's standby and its handover against the real server, with clients that speak the raw protocol and ignore
// every UI rule (docs/PROTOCOL.md, "Handing a room over"): who may hand a room over, to whom, what the standby is
// sent, and that nobody is told of a change before the standby holds it.
#include "closecodes.h"
#include "serverharness.h"

#include <QBuffer>
#include <QImage>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::proto;
using namespace inkroom::test;

namespace {

const QString kRoom = u"handover"_s;
const QString kHost = u"client-host-0001"_s;
const QString kBob = u"client-bob-00001"_s;
const QString kCli = u"client-cli-00001"_s;

//! The last error the client got, with the code asked for.
std::optional<Error> lastError(const TestClient &client, ErrorCode code)
{
    const QList<Error> errors = client.all<Error>();
    for (auto it = errors.crbegin(); it != errors.crend(); ++it) {
        if (it->code == code)
            return *it;
    }
    return std::nullopt;
}

//! The highest head of the replicas the client received.
quint64 replicaHead(const TestClient &client)
{
    quint64 head = 0;
    for (const Replica &replica : client.all<Replica>())
        head = std::max(head, replica.head);
    return head;
}

//! The standby received every part of its first copy.
bool hasWholeCopy(const TestClient &standby)
{
    const QList<Replica> parts = standby.all<Replica>();
    return std::any_of(parts.begin(), parts.end(), [](const Replica &part) { return part.complete; });
}

//! Replicas each standby confirmed so far.
QHash<const TestClient *, qsizetype> s_confirmed;

//! Confirm every replica received so far, each with its own replica_ack (what a standby app does).
void confirmAll(TestClient &standby)
{
    const QList<Replica> parts = standby.all<Replica>();
    for (qsizetype i = s_confirmed.value(&standby); i < parts.size(); ++i)
        standby.send(ReplicaAck {parts.at(i).head});
    s_confirmed[&standby] = parts.size();
}

//! A PNG of noise (it does not compress), about 3 * side^2 bytes.
QByteArray noisePng(int side, quint32 seed)
{
    QImage image(side, side, QImage::Format_RGB32);
    QRandomGenerator random(seed);
    for (int y = 0; y < side; ++y) {
        for (int x = 0; x < side; ++x)
            image.setPixel(x, y, 0xff000000u | (random.generate() & 0xffffffu));
    }
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

//! Upload bytes whole, one blob_put at a time; true when the room has them.
bool uploadImage(TestClient &client, const QByteArray &bytes)
{
    const QString hash = blobHashOf(bytes);
    int answers = client.count<BlobStatus>();
    client.send(BlobOffer {hash, bytes.size()});
    while (client.waitFor<BlobStatus>(++answers)) {
        const BlobStatus status = *client.last<BlobStatus>();
        if (status.code || status.have >= status.size)
            return !status.code;
        client.send(BlobPut {hash, bytes.size(), status.have, bytes.mid(status.have, limits::MaxBlobChunkBytes)});
    }
    return false;
}

//! The image pieces a standby was sent, in order.
QList<BlobData> piecesOf(const TestClient &standby)
{
    QList<BlobData> pieces;
    for (const Replica &part : standby.all<Replica>()) {
        if (part.blob)
            pieces.append(*part.blob);
    }
    return pieces;
}

} // namespace

class ServerHandoverTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { s_confirmed.clear(); }
    void onlyOwnersHandOver();
    void onlyToMembersThatCanServe();
    void standbyGetsTheWholeRoom();
    void picturesGoToTheStandbyOnePieceAtATime();
    void nobodyIsToldBeforeTheStandbyHasIt();
    void aPictureIsOnTheStandbyBeforeItsOpIsAnswered();
    void aStandbyThatDoesNotConfirmIsDropped();
    void standbyMessagesFromOthersAreRefused();
    void handoverMovesEveryone();
    void aServerOfStoredRoomsOnlyMakesNone();
};

void ServerHandoverTest::onlyOwnersHandOver()
{
    ServerFixture fixture;
    QVERIFY(fixture.start());
    TestClient host(kHost, u"Ann"_s);
    QVERIFY(host.join(fixture.url(), kRoom));
    TestClient bob(kBob, u"Bob"_s);
    bob.serve = true;
    QVERIFY(bob.join(fixture.url(), kRoom));
    TestClient cli(kCli, u"Cy"_s);
    QVERIFY(cli.join(fixture.url(), kRoom));

    // An editor that ignores the UI asks to have the room handed to itself, or to another member.
    bob.send(Handover {kBob});
    QVERIFY(waitUntil([&] { return lastError(bob, ErrorCode::NotOwner).has_value(); }));
    cli.send(Handover {kBob});
    QVERIFY(waitUntil([&] { return lastError(cli, ErrorCode::NotOwner).has_value(); }));
    QCOMPARE(lastError(cli, ErrorCode::NotOwner)->field, u"target"_s);
    // Nothing moved: the room goes on taking changes.
    const quint64 cseq = host.sendOp(host.makeAdd());
    QVERIFY(host.waitForAnswer(cseq));
    QVERIFY(host.ackFor(cseq).has_value());
    QCOMPARE(bob.count<Moved>() + cli.count<Moved>() + host.count<Moved>(), 0);
}

void ServerHandoverTest::onlyToMembersThatCanServe()
{
    ServerFixture fixture;
    QVERIFY(fixture.start());
    TestClient host(kHost, u"Ann"_s);
    QVERIFY(host.join(fixture.url(), kRoom));
    TestClient cli(kCli, u"Cy"_s); // inkroom-cli: its hello does not say serve
    QVERIFY(cli.join(fixture.url(), kRoom));

    host.send(Handover {kCli});
    QVERIFY(waitUntil([&] { return lastError(host, ErrorCode::CannotServe).has_value(); }));
    QVERIFY(lastError(host, ErrorCode::CannotServe)->message.contains(u"Cy"_s));
    host.send(Handover {kHost});
    QVERIFY(waitUntil([&] { return lastError(host, ErrorCode::BadValue).has_value(); }));
    host.send(Handover {u"client-nobody-01"_s});
    QVERIFY(waitUntil([&] { return lastError(host, ErrorCode::UnknownClient).has_value(); }));
    // A handover that does not decode is an error like any other message's, and changes nothing.
    host.sendText(u"{\"type\":\"handover\",\"target\":\"x y\"}"_s);
    QVERIFY(waitUntil([&] { return lastError(host, ErrorCode::BadValue) && host.all<Error>().size() >= 4; }));
    QCOMPARE(cli.count<Replica>(), 0);
    QCOMPARE(cli.count<Moved>(), 0);
    QVERIFY(cli.isConnected());
}

void ServerHandoverTest::standbyGetsTheWholeRoom()
{
    ServerFixture fixture;
    QVERIFY(fixture.start());
    TestClient host(kHost, u"Ann"_s);
    QVERIFY(host.join(fixture.url(), kRoom));
    for (int i = 0; i < 5; ++i)
        host.sendOp(host.makeAdd(4));
    const quint64 chat = host.sendOp(host.makeChat(u"hello"_s));
    QVERIFY(host.waitForAnswer(chat));

    TestClient bob(kBob, u"Bob"_s);
    bob.serve = true;
    QVERIFY(bob.join(fixture.url(), kRoom));
    QVERIFY(waitUntil([&] { return hasWholeCopy(bob); }));
    const QList<Replica> parts = bob.all<Replica>();
    QVERIFY(parts.first().reset);
    QCOMPARE(parts.first().room, kRoom);
    QCOMPARE(parts.first().epoch, host.welcome()->epoch);
    QCOMPARE(parts.first().head, quint64(6));
    int items = 0;
    int chats = 0;
    QSet<QString> clients;
    for (const Replica &part : parts) {
        items += int(part.items.size());
        chats += int(part.chat.size());
        for (const ReplicaClient &client : part.clients) {
            clients.insert(client.client);
            if (client.client == kHost) {
                QCOMPARE(client.cseq, quint64(6));
                QCOMPARE(client.role, std::optional<Role>(Role::Owner));
                QCOMPARE(client.secret.size(), 32);
            }
        }
    }
    QCOMPARE(items, 5);
    QCOMPARE(chats, 1);
    QVERIFY(clients.contains(kHost));
    QVERIFY(clients.contains(kBob));

    // Every commit after the copy follows, ops and all.
    confirmAll(bob);
    const quint64 cseq = host.sendOp(host.makeAdd());
    QVERIFY(waitUntil([&] { return replicaHead(bob) == 7; }));
    QCOMPARE(bob.last<Replica>()->ops.size(), 1);
    QCOMPARE(bob.last<Replica>()->ops.first().cseq, cseq);
    QCOMPARE(bob.last<Replica>()->ops.first().client, kHost);
}

void ServerHandoverTest::picturesGoToTheStandbyOnePieceAtATime()
{
    ServerFixture fixture;
    QVERIFY(fixture.start());
    TestClient host(kHost, u"Ann"_s);
    QVERIFY(host.join(fixture.url(), kRoom));
    const QByteArray first = noisePng(520, 1); // about 800 KB: two pieces
    QVERIFY(uploadImage(host, first));

    TestClient bob(kBob, u"Bob"_s);
    bob.serve = true;
    QVERIFY(bob.join(fixture.url(), kRoom));
    QVERIFY(waitUntil([&] { return hasWholeCopy(bob) && !piecesOf(bob).isEmpty(); }));
    // One piece, after the part with complete, and nothing more until the standby confirms it: the copy's pictures
    // never pile up in front of it.
    QVERIFY(bob.all<Replica>().last().blob);
    QTest::qWait(300);
    QCOMPARE(piecesOf(bob).size(), 1);
    QCOMPARE(piecesOf(bob).first().offset, 0);
    QCOMPARE(piecesOf(bob).first().data.size(), limits::MaxBlobChunkBytes);
    confirmAll(bob);
    QVERIFY(waitUntil([&] { return piecesOf(bob).size() == 2; }));
    confirmAll(bob);
    QByteArray received;
    for (const BlobData &piece : piecesOf(bob)) {
        QCOMPARE(piece.hash, blobHashOf(first));
        QCOMPARE(piece.offset, received.size());
        received += piece.data;
    }
    QCOMPARE(received, first);
    // The head does not move with a piece.
    for (const Replica &part : bob.all<Replica>())
        QCOMPARE(part.head, quint64(0));

    bob.send(Standby {{}, {}, {}, {}, 4567});
    QVERIFY(host.waitFor<Standby>());

    // A picture uploaded now follows too; a standby that does not confirm a piece in time is dropped, as for ops.
    const QByteArray second = noisePng(100, 2);
    QVERIFY(uploadImage(host, second));
    QVERIFY(waitUntil([&] { return piecesOf(bob).size() == 3; }));
    QCOMPARE(piecesOf(bob).last().hash, blobHashOf(second));
    QCOMPARE(piecesOf(bob).last().data, second);
    QVERIFY(waitUntil([&] { return bob.count<Standby>() > 0 && bob.last<Standby>()->client.isEmpty(); }, 15000));
}

void ServerHandoverTest::nobodyIsToldBeforeTheStandbyHasIt()
{
    ServerFixture fixture;
    QVERIFY(fixture.start());
    TestClient host(kHost, u"Ann"_s);
    QVERIFY(host.join(fixture.url(), kRoom));
    TestClient bob(kBob, u"Bob"_s);
    bob.serve = true;
    QVERIFY(bob.join(fixture.url(), kRoom));
    QVERIFY(waitUntil([&] { return hasWholeCopy(bob); }));
    confirmAll(bob);
    bob.send(Standby {{}, {}, {}, {}, 4567});
    QVERIFY(host.waitFor<Standby>());
    QCOMPARE(host.last<Standby>()->client, kBob);
    QCOMPARE(host.last<Standby>()->name, u"Bob"_s);
    QCOMPARE(host.last<Standby>()->url, u"ws://127.0.0.1:4567"_s);
    // A joiner learns the standby after its catch-up.
    TestClient cli(kCli, u"Cy"_s);
    QVERIFY(cli.join(fixture.url(), kRoom));
    QVERIFY(cli.waitFor<Standby>());
    QCOMPARE(cli.last<Standby>()->client, kBob);

    const int opsBefore = cli.count<Op>();
    const quint64 cseq = host.sendOp(host.makeAdd());
    QVERIFY(waitUntil([&] { return replicaHead(bob) == 1; }));
    // The standby has not confirmed it: neither its author nor anybody else hears of it.
    QTest::qWait(300);
    QVERIFY(!host.ackFor(cseq));
    QCOMPARE(cli.count<Op>(), opsBefore);
    confirmAll(bob);
    QVERIFY(host.waitForAnswer(cseq));
    QVERIFY(host.ackFor(cseq).has_value());
    QVERIFY(waitUntil([&] { return cli.count<Op>() == opsBefore + 1; }));
}

// A picture uploaded while a standby is announced reaches it before anything sent after the upload: the op that
// shows it is acknowledged (and reaches the others) only once the standby holds its last piece, so a takeover never
// serves an acknowledged picture it lacks. It also goes before pictures of the first copy still on their way.
void ServerHandoverTest::aPictureIsOnTheStandbyBeforeItsOpIsAnswered()
{
    ServerFixture fixture;
    QVERIFY(fixture.start());
    TestClient host(kHost, u"Ann"_s);
    QVERIFY(host.join(fixture.url(), kRoom));
    const QByteArray old = noisePng(520, 3); // two pieces, in the first copy
    QVERIFY(uploadImage(host, old));
    TestClient bob(kBob, u"Bob"_s);
    bob.serve = true;
    QVERIFY(bob.join(fixture.url(), kRoom));
    QVERIFY(waitUntil([&] { return hasWholeCopy(bob) && !piecesOf(bob).isEmpty(); }));
    confirmAll(bob); // the copy and the old picture's first piece: its second comes next
    bob.send(Standby {{}, {}, {}, {}, 4567});
    QVERIFY(host.waitFor<Standby>());
    TestClient cli(kCli, u"Cy"_s);
    QVERIFY(cli.join(fixture.url(), kRoom));
    QVERIFY(cli.waitFor<Standby>());
    QVERIFY(waitUntil([&] { return piecesOf(bob).size() == 2; }));

    const QByteArray picture = noisePng(520, 4); // two pieces
    QVERIFY(uploadImage(host, picture));
    Op add;
    add.kind = OpKind::Add;
    add.cseq = host.nextCseq++;
    add.item.id = makeItemId(host.clientId, 1);
    add.item.kind = ItemKind::Image;
    add.item.points = {{10, 20}, {330, 260}};
    add.item.blob = blobHashOf(picture);
    add.item.bytes = picture.size();
    const int opsBefore = cli.count<Op>();
    host.send(add);
    QVERIFY(waitUntil([&] { return replicaHead(bob) == 1; }));
    // The standby confirms the op and everything before it (the old picture's last piece), then the new picture's
    // first piece: the op is in its copy, but the picture is not whole there yet.
    confirmAll(bob);
    QVERIFY(waitUntil([&] { return piecesOf(bob).size() == 3; }));
    confirmAll(bob);
    QVERIFY(waitUntil([&] { return piecesOf(bob).size() == 4; }));
    QCOMPARE(piecesOf(bob).at(2).hash, blobHashOf(picture));
    QCOMPARE(piecesOf(bob).at(3).hash, blobHashOf(picture));
    QCOMPARE(piecesOf(bob).at(3).offset + piecesOf(bob).at(3).data.size(), picture.size());
    QCOMPARE(replicaHead(bob), quint64(1));
    // Its last piece is not confirmed yet: nobody hears of the op.
    QTest::qWait(300);
    QVERIFY(!host.ackFor(add.cseq));
    QCOMPARE(cli.count<Op>(), opsBefore);
    confirmAll(bob);
    QVERIFY(host.waitForAnswer(add.cseq));
    QVERIFY(host.ackFor(add.cseq).has_value());
    QVERIFY(waitUntil([&] { return cli.count<Op>() == opsBefore + 1; }));
}

void ServerHandoverTest::aStandbyThatDoesNotConfirmIsDropped()
{
    ServerFixture fixture([](server::ServerConfig &config) { config.standbyConfirmMs = 300; });
    QVERIFY(fixture.start());
    TestClient host(kHost, u"Ann"_s);
    QVERIFY(host.join(fixture.url(), kRoom));
    TestClient bob(kBob, u"Bob"_s);
    bob.serve = true;
    QVERIFY(bob.join(fixture.url(), kRoom));
    QVERIFY(waitUntil([&] { return hasWholeCopy(bob); }));
    confirmAll(bob);
    bob.send(Standby {{}, {}, {}, {}, 4567});
    QVERIFY(host.waitFor<Standby>());

    // Bob's app stops confirming: the room does not wait for it for long.
    const quint64 cseq = host.sendOp(host.makeAdd());
    QVERIFY(host.waitForAnswer(cseq));
    QVERIFY(host.ackFor(cseq).has_value());
    QVERIFY(waitUntil([&] { return host.count<Standby>() == 2; }));
    QVERIFY(host.last<Standby>()->client.isEmpty());
    // It is never chosen again on that connection.
    const int replicas = bob.count<Replica>();
    const quint64 next = host.sendOp(host.makeAdd());
    QVERIFY(host.waitForAnswer(next));
    QCOMPARE(bob.count<Replica>(), replicas);
}

void ServerHandoverTest::standbyMessagesFromOthersAreRefused()
{
    ServerFixture fixture;
    QVERIFY(fixture.start());
    TestClient host(kHost, u"Ann"_s);
    QVERIFY(host.join(fixture.url(), kRoom));
    TestClient cli(kCli, u"Cy"_s);
    QVERIFY(cli.join(fixture.url(), kRoom));
    // Somebody who was sent no copy claims to hold one, or to stand by: nobody is told, nothing waits for it.
    cli.send(ReplicaAck {0});
    QVERIFY(waitUntil([&] { return lastError(cli, ErrorCode::UnexpectedMessage).has_value(); }));
    cli.send(Standby {{}, {}, {}, {}, 4567});
    QVERIFY(waitUntil([&] { return cli.all<Error>().size() == 2; }));
    QCOMPARE(host.count<Standby>(), 0);
    // A replica sent by a client is a server's message.
    cli.send(Replica {false, u"epoch"_s, {}, {}, {}, 0, 0});
    QVERIFY(waitUntil([&] { return cli.all<Error>().size() == 3; }));
    QCOMPARE(cli.all<Error>().last().code, ErrorCode::UnexpectedMessage);

    // The standby itself may not confirm more than it was sent.
    TestClient bob(kBob, u"Bob"_s);
    bob.serve = true;
    QVERIFY(bob.join(fixture.url(), kRoom));
    QVERIFY(waitUntil([&] { return hasWholeCopy(bob); }));
    bob.send(ReplicaAck {replicaHead(bob) + 5});
    s_confirmed.remove(&bob);
    QVERIFY(waitUntil([&] { return lastError(bob, ErrorCode::BadValue).has_value(); }));
    bob.send(Standby {{}, {}, {}, {}, 0});
    QVERIFY(waitUntil([&] { return bob.all<Error>().size() == 2; }));
    QCOMPARE(host.count<Standby>(), 0);
}

void ServerHandoverTest::handoverMovesEveryone()
{
    ServerFixture fixture;
    QVERIFY(fixture.start());
    TestClient host(kHost, u"Ann"_s);
    QVERIFY(host.join(fixture.url(), kRoom));
    TestClient bob(kBob, u"Bob"_s);
    bob.serve = true;
    QVERIFY(bob.join(fixture.url(), kRoom));
    TestClient cli(kCli, u"Cy"_s);
    QVERIFY(cli.join(fixture.url(), kRoom));
    QVERIFY(waitUntil([&] { return hasWholeCopy(bob); }));
    confirmAll(bob);
    bob.send(Standby {{}, {}, {}, {}, 4567});
    QVERIFY(cli.waitFor<Standby>());

    // A change in flight when the owner hands the room over: Bob's copy does not have it yet.
    const quint64 before = cli.sendOp(cli.makeAdd());
    QVERIFY(waitUntil([&] { return replicaHead(bob) == 1; }));
    host.send(Handover {kBob});
    QTest::qWait(100);
    // While the room moves, a change is refused for the moment: it is sent again at the new address.
    const quint64 during = cli.sendOp(cli.makeAdd());
    QTest::qWait(100);
    QVERIFY(!cli.ackFor(before));
    QCOMPARE(cli.count<Moved>(), 0);

    confirmAll(bob);
    QVERIFY(cli.waitForClose());
    QCOMPARE(cli.closeCode(), quint16(CloseCode::RoomMoved));
    QVERIFY(cli.ackFor(before).has_value());
    QVERIFY(cli.rejectFor(during).has_value());
    QVERIFY(cli.rejectFor(during)->retry);
    QVERIFY(cli.last<Moved>().has_value());
    QCOMPARE(cli.last<Moved>()->client, kBob);
    QCOMPARE(cli.last<Moved>()->name, u"Bob"_s);
    QCOMPARE(cli.last<Moved>()->url, u"ws://127.0.0.1:4567"_s);
    QCOMPARE(lastError(cli, ErrorCode::RoomMoved)->message, u"The room moved to Bob's computer."_s);
    QVERIFY(host.waitForClose());
    QCOMPARE(host.closeCode(), quint16(CloseCode::RoomMoved));
    QVERIFY(bob.waitForClose());
    QCOMPARE(bob.last<Moved>()->client, kBob);

    // Somebody who comes back to the old address is sent on, and the room is no longer listed.
    TestClient late(u"client-late-0001"_s, u"Di"_s);
    QVERIFY(!late.join(fixture.url(), kRoom));
    QCOMPARE(late.closeCode(), quint16(CloseCode::RoomMoved));
    QCOMPARE(late.last<Moved>()->url, u"ws://127.0.0.1:4567"_s);
}

void ServerHandoverTest::aServerOfStoredRoomsOnlyMakesNone()
{
    ServerFixture fixture([](server::ServerConfig &config) { config.storedRoomsOnly = true; });
    QVERIFY(fixture.start());
    TestClient early(kCli, u"Cy"_s);
    QVERIFY(!early.join(fixture.url(), kRoom));
    QCOMPARE(early.closeCode(), quint16(CloseCode::NotServing));
    QVERIFY(isRetryable(early.closeCode()));

    // Seeded, the room opens as it was: its epoch, head, board, and who owns it.
    RoomSeed seed;
    seed.room = kRoom;
    seed.epoch = u"0123456789abcdef"_s;
    seed.head = 42;
    Item item;
    item.id = kHost + u":1"_s;
    item.points = {{1, 2}, {3, 4}};
    item.z = 7;
    seed.items = {item};
    seed.clients = {ReplicaClient {kHost, 9, 41, 1, {}, Role::Owner, false},
                    ReplicaClient {kCli, 3, 42, 0, {}, std::nullopt, false}};
    QString error;
    QVERIFY2(fixture.server().seedRoom(seed, &error), qPrintable(error));
    TestClient cli(kCli, u"Cy"_s);
    QVERIFY(cli.join(fixture.url(), kRoom));
    QCOMPARE(cli.welcome()->epoch, seed.epoch);
    QCOMPARE(cli.welcome()->head, quint64(42));
    QCOMPARE(cli.welcome()->acked, quint64(3));
    QCOMPARE(cli.boardSinceWelcome().size(), 1);
    // A repeat of an op the old host committed is not ordered again; a new one continues the log.
    Op again = cli.makeAdd();
    again.cseq = 3;
    cli.send(again);
    QVERIFY(cli.waitForAnswer(3));
    QVERIFY(!cli.ackFor(3) || cli.ackFor(3)->duplicate);
    cli.nextCseq = 4;
    const quint64 next = cli.sendOp(cli.makeAdd());
    QVERIFY(cli.waitForAnswer(next));
    QCOMPARE(cli.ackFor(next)->seq, quint64(43));
    // Another room of that name is never replaced.
    seed.epoch = u"fedcba9876543210"_s;
    QVERIFY(!fixture.server().seedRoom(seed, &error));
    QVERIFY(error.contains(kRoom));
}

QTEST_GUILESS_MAIN(ServerHandoverTest)
#include "tst_server_handover.moc"
