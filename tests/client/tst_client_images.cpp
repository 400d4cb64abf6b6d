// Images end to end (docs/PROTOCOL.md, "Images"): a picture added in one client travels once and shows in another
// (a late joiner too), waits in the journal while offline and survives a crash of the client, is refused with why
// when the room cannot take it, and hostile files are refused before anything is sent. inkroom-cli drives it with
// /image and draws it in --export.
#include "boardexport.h"
#include "cliprocess.h"
#include "faultproxy.h"
#include "imagedecode.h"
#include "imagelibrary.h"
#include "replaymodel.h"
#include "serverfixture.h"
#include "session.h"
#include "testutil.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::client;
using namespace inkroom::test;

namespace {

constexpr int kWait = 20000;
const QString kRoom = u"gallery"_s;

QByteArray encoded(const QImage &image, const char *format)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, format);
    return bytes;
}

//! Noise (so it does not compress): a PNG of about 3 * side^2 bytes.
QByteArray noisePng(int side, quint32 seed)
{
    QImage image(side, side, QImage::Format_RGB32);
    QRandomGenerator random(seed);
    for (int y = 0; y < side; ++y) {
        auto *line = reinterpret_cast<quint32 *>(image.scanLine(y));
        for (int x = 0; x < side; ++x)
            line[x] = 0xff000000u | (random.generate() & 0xffffffu);
    }
    return encoded(image, "PNG");
}

QByteArray solidPng(int width, int height, QRgb colour)
{
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(colour);
    return encoded(image, "PNG");
}

quint32 crc32(const QByteArray &bytes)
{
    quint32 crc = 0xffffffffu;
    for (const char c : bytes) {
        crc ^= quint8(c);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

QByteArray pngChunk(const QByteArray &type, const QByteArray &data)
{
    QByteArray out;
    const auto be32 = [&out](quint32 v) {
        for (int shift : {24, 16, 8, 0})
            out += char(v >> shift);
    };
    be32(quint32(data.size()));
    out += type + data;
    QByteArray crc;
    const quint32 sum = crc32(type + data);
    for (int shift : {24, 16, 8, 0})
        crc += char(sum >> shift);
    return out + crc;
}

/** A valid PNG that claims width x height grey pixels, with a few rows of data (or all of them) that zlib squeezes to
 *  almost nothing: a decompression bomb when the size is huge. */
QByteArray bombPng(quint32 width, quint32 height, bool allRows = false)
{
    QByteArray ihdr;
    for (quint32 v : {width, height})
        for (int shift : {24, 16, 8, 0})
            ihdr += char(v >> shift);
    ihdr += QByteArray("\x08\x00\x00\x00\x00", 5); // 8-bit greyscale
    const QByteArray rows(qsizetype(width + 1) * (allRows ? height : 4), '\0');
    const QByteArray zlib = qCompress(rows, 9).mid(4); // qCompress puts the length in front of the zlib stream
    return QByteArray("\x89PNG\r\n\x1a\n", 8) + pngChunk("IHDR", ihdr) + pngChunk("IDAT", zlib) + pngChunk("IEND", {});
}

} // namespace

class TestClientImages : public QObject
{
    Q_OBJECT

    std::unique_ptr<Session> joined(const QString &name, const QString &stateDir, ServerFixture &server)
    {
        return joinedAt(name, stateDir, server.url());
    }

    std::unique_ptr<Session> joinedAt(const QString &name, const QString &stateDir, const QUrl &url)
    {
        auto session = std::make_unique<Session>();
        session->setTimings(fastTimings());
        session->images()->setRetryMs(50);
        session->setStateDirectory(stateDir);
        session->join(url, kRoom, name, Qt::darkBlue);
        return session;
    }

private Q_SLOTS:
    void init() { render::ImageLibrary::instance().clear(); }

    //! Ann adds a picture; Bo, joining later, gets the item and fetches the picture once, into his cache.
    void aPictureTravelsOnceAndALateJoinerSeesIt()
    {
        ServerFixture server;
        QVERIFY(server.start());
        QTemporaryDir annDir;
        QTemporaryDir boDir;
        auto ann = joined(u"Ann"_s, annDir.path(), server);
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::Online, kWait);
        const QByteArray picture = noisePng(600, 11); // three chunks
        const QString hash = proto::blobHashOf(picture);
        QString error;
        const QString id = ann->addImageBytes(picture, {500, 400}, &error);
        QVERIFY2(!id.isEmpty(), qPrintable(error));
        // Pending: its bytes are on disk with the change, mode 0600.
        const QString pending = annDir.filePath(u"images/pending/"_s + hash);
        QVERIFY(QFile::exists(pending));
        QCOMPARE(QFileInfo(pending).permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
                 QFileDevice::Permissions());
        QTRY_COMPARE_WITH_TIMEOUT(ann->pendingCount(), 0, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(ann->imageTransfers(), 0, kWait);
        // Settled: the bytes moved to the cache.
        QVERIFY(!QFile::exists(pending));
        QVERIFY(QFile::exists(annDir.filePath(u"images/cache/"_s + hash)));
        QVERIFY(ann->board()->confirmed().item(id));
        const proto::Item mine = *ann->board()->confirmed().item(id);
        QCOMPARE(mine.kind, proto::ItemKind::Image);
        QCOMPARE(mine.points.at(1) - mine.points.at(0), QPointF(600, 600));

        render::ImageLibrary::instance().clear(); // Bo's process has never seen it
        auto bo = joined(u"Bo"_s, boDir.path(), server);
        QTRY_COMPARE_WITH_TIMEOUT(bo->state(), Session::Online, kWait);
        QVERIFY(bo->board()->confirmed().item(id));
        QTRY_VERIFY_WITH_TIMEOUT(render::ImageLibrary::instance().contains(hash), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(bo->imageTransfers(), 0, kWait);
        const QString cached = boDir.filePath(u"images/cache/"_s + hash);
        QFile file(cached);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), picture);
        file.close();
        QCOMPARE(QFileInfo(cached).permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
                 QFileDevice::Permissions());
        QCOMPARE(render::ImageLibrary::instance().image(hash).size(), QSize(600, 600));

        // Bo's next run reads the picture from his cache; a damaged cache file is dropped and fetched again.
        bo.reset();
        {
            QFile damage(cached);
            QVERIFY(damage.open(QIODevice::ReadWrite));
            damage.seek(1000);
            damage.write("garbage");
        }
        render::ImageLibrary::instance().clear();
        bo = joined(u"Bo"_s, boDir.path(), server);
        QTRY_VERIFY_WITH_TIMEOUT(render::ImageLibrary::instance().contains(hash), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(bo->imageTransfers(), 0, kWait);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), picture);
        file.close();

        // Moved and removed like any other item, with undo.
        QVERIFY(ann->moveItems({id}, 50, 0));
        QTRY_COMPARE_WITH_TIMEOUT(bo->board()->confirmed().item(id)->points.at(0), mine.points.at(0) + QPointF(50, 0),
                                  kWait);
        QVERIFY(ann->removeItems({id}));
        QTRY_VERIFY_WITH_TIMEOUT(!bo->board()->confirmed().item(id), kWait);
        QVERIFY(ann->undo());
        QTRY_VERIFY_WITH_TIMEOUT(bo->board()->confirmed().item(id), kWait);
        QCOMPARE(bo->board()->confirmed().item(id)->blob, hash);
    }

    //! A client whose link drops in the middle of an upload goes on where the server stands (not from the start), and
    //! one that was away while a picture was added gets it in its resume (no snapshot) and fetches it.
    //! A picture removed before Bo joined is not on his board, yet his timeline draws it where the history shows it.
    void theTimelineFetchesPicturesTheBoardNoLongerShows()
    {
        ServerFixture server;
        QVERIFY(server.start());
        QTemporaryDir annDir;
        QTemporaryDir boDir;
        auto ann = joined(u"Ann"_s, annDir.path(), server);
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::Online, kWait);
        const QByteArray picture = noisePng(300, 5);
        const QString hash = proto::blobHashOf(picture);
        QString error;
        const QString id = ann->addImageBytes(picture, {100, 100}, &error);
        QVERIFY2(!id.isEmpty(), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(ann->pendingCount(), 0, kWait);
        ann->removeItems({id});
        QTRY_COMPARE_WITH_TIMEOUT(ann->pendingCount(), 0, kWait);

        render::ImageLibrary::instance().clear(); // Bo's process has never seen it
        auto bo = joined(u"Bo"_s, boDir.path(), server);
        QTRY_COMPARE_WITH_TIMEOUT(bo->state(), Session::Online, kWait);
        QVERIFY(!bo->board()->confirmed().item(id));
        QTRY_COMPARE_WITH_TIMEOUT(bo->imageTransfers(), 0, kWait);
        QVERIFY(!render::ImageLibrary::instance().contains(hash)); // the board alone does not want it

        ReplayModel replay;
        replay.setSession(bo.get());
        replay.fetchWholeHistory();
        QTRY_VERIFY_WITH_TIMEOUT(!replay.fetching(), kWait);
        QVERIFY2(replay.fetchProblem().isEmpty(), qPrintable(replay.fetchProblem()));
        QTRY_VERIFY_WITH_TIMEOUT(render::ImageLibrary::instance().contains(hash), kWait);
        QCOMPARE(render::ImageLibrary::instance().image(hash).size(), QSize(300, 300));
        // The picture is written to the cache by a worker once it is in the library: soon after, not at once.
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(boDir.filePath(u"images/cache/"_s + hash)), kWait);
        QVERIFY(!bo->board()->confirmed().item(id)); // replay never changes the room
    }

    void uploadsResumeAndResumingClientsGetPictures()
    {
        ServerFixture server;
        QVERIFY(server.start());
        FaultProxy annLink;
        FaultProxy boLink;
        QVERIFY(annLink.listen(server.port()));
        QVERIFY(boLink.listen(server.port()));
        QTemporaryDir annDir;
        QTemporaryDir boDir;
        auto ann = joinedAt(u"Ann"_s, annDir.path(), annLink.url());
        auto bo = joinedAt(u"Bo"_s, boDir.path(), boLink.url());
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::Online, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(bo->state(), Session::Online, kWait);
        // Bo is away from now on.
        boLink.setRefuse(true);
        boLink.cutAll();

        const QByteArray picture = noisePng(700, 15); // three chunks
        annLink.setDelay(150, FaultProxy::ToServer);
        const qint64 before = annLink.bytesForwarded(FaultProxy::ToServer);
        QString error;
        const QString id = ann->addImageBytes(picture, {0, 0}, &error);
        QVERIFY2(!id.isEmpty(), qPrintable(error));
        // Once the first chunk (512 KiB, 683 KiB in base64) has reached the server whole, the link drops.
        QTRY_VERIFY_WITH_TIMEOUT(annLink.bytesForwarded(FaultProxy::ToServer) - before > 900 * 1024, kWait);
        annLink.setRefuse(true);
        annLink.cutAll();
        const qint64 atCut = annLink.bytesForwarded(FaultProxy::ToServer);
        QTRY_VERIFY_WITH_TIMEOUT(ann->state() != Session::Online, kWait);
        annLink.setDelay(0, FaultProxy::ToServer);
        annLink.setRefuse(false);
        QTRY_COMPARE_WITH_TIMEOUT(ann->pendingCount(), 0, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(ann->imageTransfers(), 0, kWait);
        // Base64 makes a chunk 4/3 of its bytes: a restart from zero would send at least 4/3 of the picture again
        // after the cut; a resume leaves out what the server already has (the first chunk at least). How many more
        // chunks went through before the cut depends on timing, so only what was sent after it is counted.
        const qint64 resent = annLink.bytesForwarded(FaultProxy::ToServer) - atCut;
        QVERIFY2(resent < picture.size() * 4 / 3,
                 qPrintable(u"%1 bytes after the cut, %2 before"_s.arg(resent).arg(atCut - before)));

        render::ImageLibrary::instance().clear();
        boLink.setRefuse(false);
        QTRY_COMPARE_WITH_TIMEOUT(bo->state(), Session::Online, kWait);
        QVERIFY(!bo->lastCatchUp().snapshot); // a resume: the missed ops, not a snapshot
        QVERIFY(bo->board()->confirmed().item(id));
        QTRY_VERIFY_WITH_TIMEOUT(render::ImageLibrary::instance().contains(proto::blobHashOf(picture)), kWait);
    }

    //! Offline, the picture waits in the journal with its bytes; a crash (SIGKILL) keeps both; the next run uploads
    //! the picture, then the op, and the room has it once.
    void anOfflinePictureSurvivesACrash()
    {
        ServerFixture server;
        QVERIFY(server.start());
        const quint16 port = server.port();
        const QUrl url = server.url();
        server.stop();
        QTemporaryDir state;
        QTemporaryDir files;
        const QByteArray picture = noisePng(500, 12);
        const QString path = files.filePath(u"photo.png"_s);
        {
            QFile out(path);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(picture);
        }
        const QStringList arguments {u"--server"_s, url.toString(), u"--room"_s,      kRoom,
                                     u"--name"_s,   u"Cy"_s,        u"--state-dir"_s, state.path()};
        {
            CliProcess cli(QStringLiteral(INKROOM_CLI_EXE), arguments);
            cli.write(u"/image %1 100 100"_s.arg(path));
            QVERIFY(cli.waitForEvent(u"saved"_s, kWait));
            cli.kill(); // a crash, offline
        }
        QVERIFY(QFile::exists(state.filePath(u"images/pending/"_s + proto::blobHashOf(picture))));
        QVERIFY(server.start(port));
        {
            CliProcess cli(QStringLiteral(INKROOM_CLI_EXE), arguments);
            cli.closeInput(); // waits until every queued change is acknowledged
            QVERIFY(cli.waitForExit(kWait));
            QVERIFY2(cli.exitCode() == 0, qPrintable(cli.errors()));
            QCOMPARE(cli.events(u"ack"_s).size(), 1);
        }
        QTemporaryDir viewerDir;
        auto viewer = joined(u"Viewer"_s, viewerDir.path(), server);
        QTRY_COMPARE_WITH_TIMEOUT(viewer->state(), Session::Online, kWait);
        const QList<proto::Item> items = viewer->board()->confirmed().orderedItems();
        QCOMPARE(items.size(), 1);
        QCOMPARE(items.first().blob, proto::blobHashOf(picture));
        QTRY_VERIFY_WITH_TIMEOUT(render::ImageLibrary::instance().contains(items.first().blob), kWait);
    }

    //! A room that cannot take the picture refuses it: the change leaves the board and is shown as refused, with
    //! the server's words; nothing is dropped silently, and the next change goes on.
    void aRefusedPictureIsShownWithWhy()
    {
        ServerFixture server([](server::ServerConfig &config) { config.maxRoomImageMib = 1; });
        QVERIFY(server.start());
        QTemporaryDir dir;
        auto ann = joined(u"Ann"_s, dir.path(), server);
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::Online, kWait);
        QString error;
        QVERIFY(!ann->addImageBytes(noisePng(450, 13), {0, 0}, &error).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(ann->pendingCount(), 0, kWait);
        QSignalSpy rejected(ann.get(), &Session::changeRejected);
        const QString second = ann->addImageBytes(noisePng(450, 14), {0, 600}, &error);
        QVERIFY(!second.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), 1, kWait);
        QCOMPARE(rejected.first().at(2).toString(), u"room_images_full"_s);
        QVERIFY2(rejected.first().at(3).toString().contains(u"MB"_s), qPrintable(rejected.first().at(3).toString()));
        QCOMPARE(ann->refusals()->rowCount(), 1);
        QVERIFY(!ann->board()->item(second));
        QCOMPARE(ann->pendingCount(), 0);
        // The outbox goes on.
        QVERIFY(!ann->addText({0, 0}, u"after"_s, Qt::black, 20).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(ann->pendingCount(), 0, kWait);
    }

    //! Somebody who may only view the board is told so, and nothing is queued (the server refuses it too: see
    //! tst_server_images).
    void viewersAreToldTheyCannotAddPictures()
    {
        ServerFixture server;
        QVERIFY(server.start());
        QTemporaryDir ownerDir;
        QTemporaryDir guestDir;
        auto owner = joined(u"Owner"_s, ownerDir.path(), server);
        QTRY_COMPARE_WITH_TIMEOUT(owner->state(), Session::Online, kWait);
        QVERIFY(owner->setGuestsReadOnly(true));
        QTRY_COMPARE_WITH_TIMEOUT(owner->pendingCount(), 0, kWait);
        auto guest = joined(u"Guest"_s, guestDir.path(), server);
        QTRY_VERIFY_WITH_TIMEOUT(guest->state() == Session::Online && guest->viewOnly(), kWait);
        QString error;
        QVERIFY(guest->addImageBytes(solidPng(20, 20, 0xff00ff00), {0, 0}, &error).isEmpty());
        QCOMPARE(error, guest->viewOnlyReason());
        QVERIFY(!error.isEmpty());
        QCOMPARE(guest->pendingCount(), 0);
        QCOMPARE(QDir(guestDir.filePath(u"images/pending"_s)).entryList(QDir::Files).size(), 0);
    }

    void hostileFilesAreRefusedBeforeAnythingIsSent_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("words");
        const QByteArray png = solidPng(64, 64, 0xff336699);
        QTest::newRow("not an image") << QByteArray("%PDF-1.4 this is not a picture") << u"not a picture"_s;
        QTest::newRow("empty") << QByteArray() << u"empty"_s;
        QTest::newRow("truncated PNG") << png.left(png.size() / 2) << u"cannot be read"_s;
        QTest::newRow("decompression bomb") << bombPng(30000, 30000) << u"cannot be read"_s;
        QTest::newRow("huge dimensions") << bombPng(100000, 100000) << u"too large"_s;
    }

    void hostileFilesAreRefusedBeforeAnythingIsSent()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, words);
        ServerFixture server;
        QVERIFY(server.start());
        QTemporaryDir dir;
        auto ann = joined(u"Ann"_s, dir.path(), server);
        QTRY_COMPARE_WITH_TIMEOUT(ann->state(), Session::Online, kWait);
        QString error;
        QVERIFY(ann->addImageBytes(bytes, {0, 0}, &error).isEmpty());
        QVERIFY2(error.contains(words), qPrintable(error));
        QCOMPARE(ann->pendingCount(), 0);
        QCOMPARE(ann->board()->itemCount(), 0);
        QCOMPARE(QDir(dir.filePath(u"images/pending"_s)).entryList(QDir::Files).size(), 0);
    }

    //! What arrives from the network is decoded with limits: bombs and lies give an error, never a crash.
    void untrustedBytesDecodeSafely()
    {
        QCOMPARE(render::decodeImage(bombPng(4096, 4096, true)).image.size(), QSize(4096, 4096)); // at the limit
        QVERIFY(!render::decodeImage(bombPng(4097, 16)).error.isEmpty());
        QVERIFY(!render::decodeImage(bombPng(30000, 30000)).error.isEmpty());
        const QByteArray png = solidPng(32, 32, 0xffff0000);
        const render::DecodedImage truncated = render::decodeImage(png.left(png.size() - 20));
        QVERIFY(truncated.image.isNull());
        QVERIFY(!truncated.error.isEmpty());
        QVERIFY(!render::decodeImage("GIF89a....").error.isEmpty());
        QCOMPARE(render::decodeImage(png).image.size(), QSize(32, 32));
        // WebP, through Qt's plugin (qt6-image-formats-plugins).
        const QByteArray webp = encoded(QImage(QSize(20, 10), QImage::Format_RGB32), "WEBP");
        QVERIFY2(!webp.isEmpty(), "Qt cannot write WebP: is qt6-image-formats-plugins installed?");
        const render::DecodedImage decoded = render::decodeImage(webp);
        QVERIFY2(decoded.error.isEmpty(), qPrintable(decoded.error));
        QCOMPARE(decoded.format, u"webp"_s);
        QCOMPARE(decoded.image.size(), QSize(20, 10));
    }

    //! Pictures past the limits are scaled down before upload; an ordinary file is kept as it is.
    void largePicturesAreScaledDown()
    {
        const QByteArray small = solidPng(300, 200, 0xff00ff00);
        const render::PreparedImage kept = render::prepareImageFile(small);
        QVERIFY(kept.error.isEmpty());
        QCOMPARE(kept.bytes, small);
        QImage wide(6000, 1000, QImage::Format_RGB32);
        wide.fill(0xff204060);
        const render::PreparedImage scaled = render::prepareImageFile(encoded(wide, "PNG"));
        QVERIFY2(scaled.error.isEmpty(), qPrintable(scaled.error));
        QCOMPARE(scaled.image.width(), limits::MaxImageSide);
        QVERIFY(scaled.bytes.size() <= limits::MaxBlobBytes);
        QCOMPARE(scaled.hash, proto::blobHashOf(scaled.bytes));
    }

    //! A board with a picture exports with the picture in every format: PNG pixels, an <image> in the SVG, and a
    //! PDF that poppler renders with the picture's colour where it is.
    void exportsDrawThePicture()
    {
        const QByteArray bytes = solidPng(40, 20, 0xff1060d0);
        const QString hash = proto::blobHashOf(bytes);
        render::ImageLibrary::instance().insert(hash, render::decodeImage(bytes).image);
        proto::Item image;
        image.id = u"client-0001:1"_s;
        image.kind = proto::ItemKind::Image;
        image.points = {{0, 0}, {400, 200}};
        image.blob = hash;
        image.bytes = bytes.size();
        QTemporaryDir out;
        for (const QString &name : {u"board.png"_s, u"board.svg"_s, u"board.pdf"_s}) {
            render::exporting::Options options;
            options.format = *render::exporting::formatForPath(name);
            const QString error = render::exporting::exportItems({image}, out.filePath(name), options);
            QVERIFY2(error.isEmpty(), qPrintable(error));
        }
        const QImage png(out.filePath(u"board.png"_s));
        QVERIFY(!png.isNull());
        QCOMPARE(png.pixelColor(png.width() / 2, png.height() / 2), QColor(0x10, 0x60, 0xd0));
        QFile svg(out.filePath(u"board.svg"_s));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        QVERIFY(svg.readAll().contains("<image"));
        const QString pdftoppm = QStandardPaths::findExecutable(u"pdftoppm"_s);
        if (pdftoppm.isEmpty())
            QFAIL("pdftoppm is missing (Debian: poppler-utils; scripts/dev.sh installs it)");
        QProcess render;
        render.start(
            pdftoppm,
            {u"-r"_s, u"72"_s, u"-png"_s, u"-singlefile"_s, out.filePath(u"board.pdf"_s), out.filePath(u"rendered"_s)});
        QVERIFY(render.waitForFinished(30000));
        QCOMPARE(render.exitCode(), 0);
        const QImage rendered(out.filePath(u"rendered.png"_s));
        QVERIFY(!rendered.isNull());
        const QColor centre = rendered.pixelColor(rendered.width() / 2, rendered.height() / 2);
        QVERIFY2(std::abs(centre.red() - 0x10) < 8 && std::abs(centre.green() - 0x60) < 8
                     && std::abs(centre.blue() - 0xd0) < 8,
                 qPrintable(centre.name()));
    }

    //! inkroom-cli: /image adds a picture; --export of the room draws it.
    void cliAddsAndExportsAPicture()
    {
        ServerFixture server;
        QVERIFY(server.start());
        QTemporaryDir files;
        const QString path = files.filePath(u"red.png"_s);
        {
            QFile out(path);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(solidPng(100, 50, 0xffd02020));
        }
        {
            CliProcess cli(QStringLiteral(INKROOM_CLI_EXE),
                           {u"--server"_s, server.url().toString(), u"--room"_s, kRoom, u"--name"_s, u"Dee"_s});
            cli.write(u"/image %1 0 0"_s.arg(path));
            cli.write(u"/image %1 nowhere"_s.arg(path)); // malformed: refused, counted
            cli.closeInput();
            QVERIFY(cli.waitForExit(kWait));
            QCOMPARE(cli.exitCode(), 3);
            QVERIFY2(cli.errors().contains(u"/image PATH X Y"_s), qPrintable(cli.errors()));
            QCOMPARE(cli.events(u"ack"_s).size(), 1);
        }
        render::ImageLibrary::instance().clear();
        const QString target = files.filePath(u"board.png"_s);
        CliProcess exporter(QStringLiteral(INKROOM_CLI_EXE),
                            {u"--server"_s, server.url().toString(), u"--room"_s, kRoom, u"--export"_s, target});
        exporter.closeInput();
        QVERIFY(exporter.waitForExit(kWait));
        QVERIFY2(exporter.exitCode() == 0, qPrintable(exporter.errors()));
        const QImage png(target);
        QVERIFY(!png.isNull());
        QCOMPARE(png.pixelColor(png.width() / 2, png.height() / 2), QColor(0xd0, 0x20, 0x20));
    }
};

QTEST_MAIN(TestClientImages)
#include "tst_client_images.moc"
