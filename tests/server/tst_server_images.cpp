// Images against the real server (docs/PROTOCOL.md, "Images"), with clients that speak the raw protocol: uploads in
// chunks, dedupe, resume mid-upload (after a reconnect and after a restart), the checks of a whole upload, every
// limit and refusal, fetching by a late joiner, and the schema 4 -> 5 migration.
#include "serverharness.h"
#include "store.h"

#include <QBuffer>
#include <QImage>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::proto;
using namespace inkroom::test;

namespace {

const QString kRoom = u"pictures"_s;
constexpr qint64 kChunk = limits::MaxBlobChunkBytes;

//! A PNG of noise (so it does not compress): about 3 * side^2 bytes.
QByteArray noisePng(int side, quint32 seed)
{
    QImage image(side, side, QImage::Format_RGB32);
    QRandomGenerator random(seed);
    for (int y = 0; y < side; ++y) {
        auto *line = reinterpret_cast<quint32 *>(image.scanLine(y));
        for (int x = 0; x < side; ++x)
            line[x] = 0xff000000u | (random.generate() & 0xffffffu);
    }
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

QByteArray smallPng(int width, int height, QRgb colour = 0xff2080c0)
{
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(colour);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

//! Send one message and wait for the next blob_status (or nullopt when none comes).
std::optional<BlobStatus> ask(TestClient &client, const Message &message)
{
    const int before = client.count<BlobStatus>();
    client.send(message);
    if (!client.waitFor<BlobStatus>(before + 1))
        return std::nullopt;
    return client.last<BlobStatus>();
}

BlobPut chunkOf(const QByteArray &bytes, qint64 offset, const QString &hash = {})
{
    return BlobPut {hash.isEmpty() ? blobHashOf(bytes) : hash, bytes.size(), offset, bytes.mid(offset, kChunk)};
}

//! Offer and upload bytes from where the server stands; the final status.
std::optional<BlobStatus> upload(TestClient &client, const QByteArray &bytes, const QString &hash = {})
{
    const QString name = hash.isEmpty() ? blobHashOf(bytes) : hash;
    auto status = ask(client, BlobOffer {name, bytes.size()});
    while (status && !status->code && status->have < status->size)
        status = ask(client, chunkOf(bytes, status->have, name));
    return status;
}

//! Fetch a whole blob with blob_get; empty when refused.
QByteArray fetch(TestClient &client, const QString &hash, std::optional<BlobStatus> *refusal = nullptr)
{
    QByteArray bytes;
    for (;;) {
        const int data = client.count<BlobData>();
        const int statuses = client.count<BlobStatus>();
        client.send(BlobGet {hash, bytes.size()});
        if (!waitUntil([&] { return client.count<BlobData>() > data || client.count<BlobStatus>() > statuses; }))
            return {};
        if (client.count<BlobStatus>() > statuses) {
            if (refusal)
                *refusal = client.last<BlobStatus>();
            return {};
        }
        const BlobData chunk = *client.last<BlobData>();
        if (chunk.offset != bytes.size())
            return {};
        bytes += chunk.data;
        if (bytes.size() >= chunk.size)
            return bytes;
    }
}

Op imageAdd(TestClient &client, const QByteArray &bytes, int number)
{
    Op op;
    op.kind = OpKind::Add;
    op.cseq = client.nextCseq++;
    op.item.id = makeItemId(client.clientId, quint64(number));
    op.item.kind = ItemKind::Image;
    op.item.points = {{10, 20}, {330, 260}};
    op.item.blob = blobHashOf(bytes);
    op.item.bytes = bytes.size();
    return op;
}

std::optional<ErrorCode> answer(TestClient &client, const Op &op)
{
    client.send(op);
    if (!client.waitForAnswer(op.cseq))
        return ErrorCode::Internal;
    if (const auto reject = client.rejectFor(op.cseq))
        return reject->code;
    return std::nullopt;
}

} // namespace

class TestServerImages : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void uploadInChunksThenShowAndFetch()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann(u"client-ann-000001"_s, u"Ann"_s);
        TestClient bo(u"client-bo-0000001"_s, u"Bo"_s);
        QVERIFY(ann.join(fixture.url(), kRoom));
        QVERIFY(bo.join(fixture.url(), kRoom));

        const QByteArray picture = noisePng(600, 1); // ~1.1 MB: three chunks
        QVERIFY(picture.size() > 2 * kChunk);
        const QString hash = blobHashOf(picture);
        // An op that names it before it is uploaded is refused for good.
        QCOMPARE(answer(ann, imageAdd(ann, picture, 1)), ErrorCode::BlobMissing);

        auto status = ask(ann, BlobOffer {hash, picture.size()});
        QVERIFY(status);
        QVERIFY(!status->code);
        QCOMPARE(status->have, 0);
        int chunks = 0;
        while (status->have < status->size) {
            status = ask(ann, chunkOf(picture, status->have));
            QVERIFY(status);
            QVERIFY2(!status->code, qPrintable(status->message));
            ++chunks;
        }
        QCOMPARE(chunks, 3);
        QCOMPARE(status->have, picture.size());

        // The op is accepted now; Bo sees only the hash, size and placement, then fetches the bytes once.
        const Op add = imageAdd(ann, picture, 2);
        QCOMPARE(answer(ann, add), std::nullopt);
        QVERIFY(waitUntil([&] { return bo.boardSinceWelcome().contains(add.item.id); }));
        const Item shown = *bo.boardSinceWelcome().item(add.item.id);
        QCOMPARE(shown.kind, ItemKind::Image);
        QCOMPARE(shown.blob, hash);
        QCOMPARE(shown.bytes, picture.size());
        QCOMPARE(fetch(bo, hash), picture);

        // A wrong size in the op is refused; so is fetching what the room does not have.
        Op wrongSize = imageAdd(ann, picture, 3);
        wrongSize.item.bytes = picture.size() - 1;
        QCOMPARE(answer(ann, wrongSize), ErrorCode::BadValue);
        std::optional<BlobStatus> refusal;
        QVERIFY(fetch(bo, blobHashOf("nothing"), &refusal).isEmpty());
        QVERIFY(refusal);
        QCOMPARE(refusal->code, ErrorCode::BlobMissing);

        // Stored in the room's database, once.
        DatabaseProbe probe(fixture.dataDir());
        QCOMPARE(probe.number(u"SELECT COUNT(*) FROM blobs"_s), 1);
        QCOMPARE(probe.number(u"SELECT COUNT(*) FROM blob_parts"_s), 0);
    }

    void sameImageIsUploadedOnce()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann(u"client-ann-000001"_s, u"Ann"_s);
        TestClient bo(u"client-bo-0000001"_s, u"Bo"_s);
        QVERIFY(ann.join(fixture.url(), kRoom));
        QVERIFY(bo.join(fixture.url(), kRoom));
        const QByteArray picture = smallPng(64, 48);
        QCOMPARE(upload(ann, picture)->have, picture.size());
        // Bo offers the same bytes: the room has them, nothing is to be sent.
        const auto status = ask(bo, BlobOffer {blobHashOf(picture), picture.size()});
        QVERIFY(status);
        QVERIFY(!status->code);
        QCOMPARE(status->have, picture.size());
        // A chunk sent anyway changes nothing.
        QCOMPARE(ask(bo, chunkOf(picture, 0))->have, picture.size());
        QCOMPARE(answer(bo, imageAdd(bo, picture, 1)), std::nullopt);
        DatabaseProbe probe(fixture.dataDir());
        QCOMPARE(probe.number(u"SELECT COUNT(*) FROM blobs"_s), 1);
    }

    void uploadResumesAfterReconnectAndRestart()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        const QByteArray picture = noisePng(600, 2);
        const QString hash = blobHashOf(picture);
        {
            TestClient ann(u"client-ann-000001"_s, u"Ann"_s);
            QVERIFY(ann.join(fixture.url(), kRoom));
            QCOMPARE(ask(ann, BlobOffer {hash, picture.size()})->have, 0);
            QCOMPARE(ask(ann, chunkOf(picture, 0))->have, kChunk);
            ann.close(); // the link drops mid-upload
        }
        {
            TestClient ann(u"client-ann-000001"_s, u"Ann"_s);
            QVERIFY(ann.join(fixture.url(), kRoom));
            // The server kept the first chunk: the upload goes on from there.
            QCOMPARE(ask(ann, BlobOffer {hash, picture.size()})->have, kChunk);
            // A chunk from the wrong place is not stored; the answer says where to go on from.
            const auto misplaced = ask(ann, chunkOf(picture, 2 * kChunk));
            QVERIFY(!misplaced->code);
            QCOMPARE(misplaced->have, kChunk);
            QCOMPARE(ask(ann, chunkOf(picture, kChunk))->have, 2 * kChunk);
            ann.close();
        }
        QVERIFY(fixture.restart());
        TestClient ann(u"client-ann-000001"_s, u"Ann"_s);
        QVERIFY(ann.join(fixture.url(), kRoom));
        QCOMPARE(ask(ann, BlobOffer {hash, picture.size()})->have, 2 * kChunk);
        const auto done = upload(ann, picture);
        QVERIFY(done && !done->code);
        QCOMPARE(done->have, picture.size());
        QCOMPARE(answer(ann, imageAdd(ann, picture, 1)), std::nullopt);
        TestClient bo(u"client-bo-0000001"_s, u"Bo"_s);
        QVERIFY(bo.join(fixture.url(), kRoom));
        QCOMPARE(fetch(bo, hash), picture);
    }

    void hostileUploadsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("hash");
        QTest::addColumn<QString>("words");
        const QByteArray png = smallPng(32, 32);
        QTest::newRow("hash of other bytes") << png << blobHashOf("something else") << u"SHA-256"_s;
        const QByteArray text = "this is not an image at all";
        QTest::newRow("not an image") << text << QString() << u"not a PNG, JPEG or WebP"_s;
        QTest::newRow("truncated PNG") << png.left(20) << QString() << u"PNG"_s;
        // A 5000 x 2 picture is a small file with a side past the limit; the server reads only its header.
        QTest::newRow("too many pixels a side") << smallPng(5000, 2) << QString() << u"4096"_s;
        // A decompression bomb: a tiny file claiming 4096 x 4097 pixels of one colour.
        QTest::newRow("decompression bomb") << smallPng(4096, 4097) << QString() << u"4097"_s;
    }

    void hostileUploadsAreRefused()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, hash);
        QFETCH(QString, words);
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann(u"client-ann-000001"_s, u"Ann"_s);
        QVERIFY(ann.join(fixture.url(), kRoom));
        const auto status = upload(ann, bytes, hash);
        QVERIFY(status);
        QCOMPARE(status->code, ErrorCode::BadBlob);
        QVERIFY2(status->message.contains(words), qPrintable(status->message));
        // Nothing of it is kept, the op is refused, and the connection carries on.
        DatabaseProbe probe(fixture.dataDir());
        QCOMPARE(probe.number(u"SELECT COUNT(*) FROM blobs"_s), 0);
        QCOMPARE(probe.number(u"SELECT COUNT(*) FROM blob_parts"_s), 0);
        Op op = imageAdd(ann, bytes, 1);
        op.item.blob = hash.isEmpty() ? blobHashOf(bytes) : hash;
        QCOMPARE(answer(ann, op), ErrorCode::BlobMissing);
        QCOMPARE(answer(ann, ann.makeAdd()), std::nullopt);
    }

    void limitsAreEnforced()
    {
        ServerFixture fixture([](server::ServerConfig &config) { config.maxRoomImageMib = 1; });
        QVERIFY(fixture.start());
        TestClient ann(u"client-ann-000001"_s, u"Ann"_s);
        QVERIFY(ann.join(fixture.url(), kRoom));

        // Larger than any image may be.
        auto status = ask(ann, BlobOffer {blobHashOf("big"), limits::MaxBlobBytes + 1});
        QCOMPARE(status->code, ErrorCode::BlobTooLarge);
        QVERIFY(!status->retry);
        QVERIFY2(status->message.contains(u"10.0 MB"_s), qPrintable(status->message));

        // The room's bytes: 600 KB fits in 1 MiB, another 600 KB does not.
        const QByteArray first = noisePng(450, 3);
        const QByteArray second = noisePng(450, 4);
        QVERIFY(first.size() > 512 * 1024 && first.size() < 1024 * 1024);
        QCOMPARE(upload(ann, first)->have, first.size());
        status = ask(ann, BlobOffer {blobHashOf(second), second.size()});
        QCOMPARE(status->code, ErrorCode::RoomImagesFull);
        QVERIFY(!status->retry);
        QVERIFY2(status->message.contains(u"1.0 MB"_s), qPrintable(status->message));
        // What the room has still shows and is fetched.
        QCOMPARE(answer(ann, imageAdd(ann, first, 1)), std::nullopt);
    }

    void uploadsPerConnectionAndRateAreLimited()
    {
        ServerFixture fixture([](server::ServerConfig &config) { config.imageUploadKibPerSecond = 64; });
        QVERIFY(fixture.start());
        TestClient ann(u"client-ann-000001"_s, u"Ann"_s);
        QVERIFY(ann.join(fixture.url(), kRoom));
        // Two uploads at once, not three.
        const QByteArray a = noisePng(800, 5); // four chunks, the third a whole one
        const QByteArray b = noisePng(600, 6);
        const QByteArray c = noisePng(600, 7);
        QVERIFY(!ask(ann, BlobOffer {blobHashOf(a), a.size()})->code);
        QVERIFY(!ask(ann, BlobOffer {blobHashOf(b), b.size()})->code);
        auto status = ask(ann, BlobOffer {blobHashOf(c), c.size()});
        QCOMPARE(status->code, ErrorCode::ServerBusy);
        QVERIFY(status->retry);
        // The rate: 64 KiB a second after a burst of 1 MiB + 64 KiB: the third chunk in a row must wait.
        QVERIFY(!ask(ann, chunkOf(a, 0))->code);
        QVERIFY(!ask(ann, chunkOf(a, kChunk))->code);
        status = ask(ann, chunkOf(a, 2 * kChunk));
        QCOMPARE(status->code, ErrorCode::RateLimited);
        QVERIFY(status->retry);
        QCOMPARE(status->have, 2 * kChunk); // nothing of it was kept; it goes again from there
    }

    void viewersFetchButDoNotUpload()
    {
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient owner(u"client-owner-0001"_s, u"Owner"_s);
        QVERIFY(owner.join(fixture.url(), kRoom));
        const QByteArray picture = smallPng(40, 30);
        QCOMPARE(upload(owner, picture)->have, picture.size());
        QCOMPARE(answer(owner, imageAdd(owner, picture, 1)), std::nullopt);
        Op readOnly;
        readOnly.kind = OpKind::SetDefaultRole;
        readOnly.cseq = owner.nextCseq++;
        readOnly.role = Role::Viewer;
        QCOMPARE(answer(owner, readOnly), std::nullopt);

        // A late joiner who may only look: gets the item in its catch-up and the picture by its hash...
        TestClient guest(u"client-guest-0001"_s, u"Guest"_s);
        QVERIFY(guest.join(fixture.url(), kRoom));
        const Board board = guest.boardSinceWelcome();
        QCOMPARE(board.size(), 1);
        QCOMPARE(board.orderedItems().first().blob, blobHashOf(picture));
        QCOMPARE(fetch(guest, blobHashOf(picture)), picture);
        // ...but may not add one, whatever it sends.
        const QByteArray other = smallPng(20, 20);
        auto status = ask(guest, BlobOffer {blobHashOf(other), other.size()});
        QCOMPARE(status->code, ErrorCode::ViewOnly);
        status = ask(guest, chunkOf(other, 0));
        QCOMPARE(status->code, ErrorCode::ViewOnly);
        QCOMPARE(answer(guest, imageAdd(guest, picture, 1)), ErrorCode::ViewOnly);
        DatabaseProbe probe(fixture.dataDir());
        QCOMPARE(probe.number(u"SELECT COUNT(*) FROM blobs"_s), 1);
        QCOMPARE(probe.number(u"SELECT COUNT(*) FROM blob_parts"_s), 0);
    }

    //! A schema 4 database takes 5 (images) and 6 (snapshot pieces); one a server without images took to 6 gets the
    //! image tables at its next start.
    void olderDatabasesGetTheImageTables_data()
    {
        QTest::addColumn<QString>("schema");
        QTest::newRow("schema 4") << u"4"_s;
        QTest::newRow("schema 6 without images") << u"6"_s;
    }

    void olderDatabasesGetTheImageTables()
    {
        QFETCH(QString, schema);
        ServerFixture fixture;
        QVERIFY(fixture.start());
        TestClient ann(u"client-ann-000001"_s, u"Ann"_s);
        QVERIFY(ann.join(fixture.url(), kRoom));
        QCOMPARE(answer(ann, ann.makeAdd()), std::nullopt);
        const QString epoch = ann.welcome()->epoch;
        ann.close();
        fixture.stop();
        {
            // Make it the database such a server left (the snapshot pieces of 6 can stay: its migration copies none).
            DatabaseProbe probe(fixture.dataDir());
            QVERIFY(probe.exec(u"DROP TABLE blobs"_s));
            QVERIFY(probe.exec(u"DROP TABLE blob_parts"_s));
            QVERIFY(probe.exec(u"UPDATE meta SET value = '%1' WHERE key = 'schema'"_s.arg(schema)));
        }
        QVERIFY(fixture.start());
        {
            DatabaseProbe probe(fixture.dataDir());
            QCOMPARE(probe.number(u"SELECT value FROM meta WHERE key = 'schema'"_s), server::Store::SchemaVersion);
            QCOMPARE(probe.number(u"SELECT COUNT(*) FROM blobs"_s), 0);
            QCOMPARE(probe.number(u"SELECT COUNT(*) FROM blob_parts"_s), 0);
        }
        TestClient again(u"client-ann-000001"_s, u"Ann"_s);
        QVERIFY(again.join(fixture.url(), kRoom));
        QCOMPARE(again.welcome()->epoch, epoch);
        QCOMPARE(again.boardSinceWelcome().size(), 1);
        const QByteArray picture = smallPng(16, 16);
        QCOMPARE(upload(again, picture)->have, picture.size());
        again.nextCseq = again.welcome()->acked + 1;
        QCOMPARE(answer(again, imageAdd(again, picture, 100)), std::nullopt);
    }
};

QTEST_GUILESS_MAIN(TestServerImages)
#include "tst_server_images.moc"
