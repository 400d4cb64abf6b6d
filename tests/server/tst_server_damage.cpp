// A damaged database is noticed (issue 19, item 6): refused at start when SQLite's quick_check finds damage, a room
// whose rows exist is never started afresh when an index misses it, an op that no longer decodes is not skipped, and
// `inkroom-server --check` runs integrity_check on request. The damage is done to the file by hand, as a failing
// disk would.
#include "closecodes.h"
#include "serverharness.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::proto;
using namespace inkroom::test;

namespace {

const QString kRoom = u"precious"_s;

//! Where a b-tree page of the database starts: its root page number, from sqlite_master, and the page size.
qint64 pageOffset(const QString &dataDir, const QString &object)
{
    DatabaseProbe probe(dataDir);
    const qint64 page = probe.number(u"SELECT rootpage FROM sqlite_master WHERE name = '%1'"_s.arg(object));
    const qint64 size = probe.number(u"PRAGMA page_size"_s);
    return page > 0 && size > 0 ? (page - 1) * size : -1;
}

qint64 pageSize(const QString &dataDir)
{
    DatabaseProbe probe(dataDir);
    return probe.number(u"PRAGMA page_size"_s);
}

//! Change bytes of the database file in place (the server must be stopped: its WAL checkpointed and gone).
bool patch(const QString &dataDir, qint64 offset, const QByteArray &bytes)
{
    QFile file(dataDir + u"/inkroom.sqlite"_s);
    return offset >= 0 && file.open(QIODevice::ReadWrite) && file.seek(offset) && file.write(bytes) == bytes.size();
}

//! A room with some work in it, then the server stopped.
bool roomWithWork(ServerFixture &fixture)
{
    if (!fixture.start())
        return false;
    TestClient writer(u"client-writer-001"_s, u"Writer"_s);
    if (!writer.join(fixture.url(), kRoom))
        return false;
    for (int i = 0; i < 3; ++i)
        writer.send(writer.makeAdd(5));
    writer.send(writer.makeChat(u"keep this"_s));
    if (!waitUntil([&writer] { return writer.count<Ack>() == 4; }))
        return false;
    writer.close();
    fixture.stop();
    return !QFile::exists(fixture.dataDir() + u"/inkroom.sqlite-wal"_s);
}

//! inkroom-server --check on a data directory: its exit status and what it printed.
std::pair<int, QString> runCheck(const QString &dataDir)
{
    QProcess process;
    process.start(QStringLiteral(INKROOM_SERVER_EXE), {u"--check"_s, u"--data-dir"_s, dataDir});
    if (!process.waitForFinished(kWaitMs))
        return {-1, {}};
    return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput() + process.readAllStandardError())};
}

} // namespace

class TestServerDamage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aSoundDatabasePassesTheCheck()
    {
        ServerFixture fixture;
        QVERIFY(roomWithWork(fixture));
        const auto [status, output] = runCheck(fixture.dataDir());
        QCOMPARE(status, 0);
        QVERIFY2(output.contains(u"sound"_s), qPrintable(output));
    }

    void aDamagedNameIndexNeverStartsARoomAfresh()
    {
        // Once: one byte flipped in the room-name index, and the room was served empty under a new epoch, with a
        // second row that orphaned everything the first one held.
        ServerFixture fixture;
        QVERIFY(roomWithWork(fixture));
        // Both ways to find it by name: the name's own index and the index of the names' keys.
        for (const QString &name : {u"sqlite_autoindex_rooms_1"_s, u"rooms_by_key"_s}) {
            const qint64 index = pageOffset(fixture.dataDir(), name);
            QVERIFY(index > 0);
            QFile file(fixture.dataDir() + u"/inkroom.sqlite"_s);
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY(file.seek(index));
            const QByteArray page = file.read(pageSize(fixture.dataDir()));
            file.close();
            const qsizetype at = page.indexOf(kRoom.toUtf8());
            QVERIFY(at > 0);
            QVERIFY(patch(fixture.dataDir(), index + at, "q")); // "precious" -> "qrecious", in the index only
        }

        QVERIFY(fixture.start());
        TestClient late(u"client-late-00001"_s, u"Late"_s);
        QVERIFY(!late.join(fixture.url(), kRoom));
        QCOMPARE(late.closeCode(), quint16(QWebSocketProtocol::CloseCodeBadOperation));
        QCOMPARE(late.last<Error>()->code, ErrorCode::Internal);
        QCOMPARE(late.count<Welcome>(), 0);
        fixture.stop();
        {
            DatabaseProbe probe(fixture.dataDir());
            QCOMPARE(probe.number(u"SELECT COUNT(*) FROM rooms NOT INDEXED"_s), 1);
            QCOMPARE(probe.number(u"SELECT COUNT(*) FROM ops"_s), 4);
        }
        // integrity_check, on request, finds what quick_check at start cannot (an index that disagrees with its
        // table), and says how to recover.
        const auto [status, output] = runCheck(fixture.dataDir());
        QCOMPARE(status, 1);
        QVERIFY2(output.contains(u"DAMAGED"_s) && output.contains(u".recover"_s), qPrintable(output));
    }

    void aDamagedPageIsRefusedAtStart()
    {
        ServerFixture fixture;
        QVERIFY(roomWithWork(fixture));
        // The log's b-tree page loses its header: what a bad sector does.
        QVERIFY(patch(fixture.dataDir(), pageOffset(fixture.dataDir(), u"ops"_s), QByteArray(16, '\x7f')));
        server::Server refused(fixture.config());
        QString error;
        QVERIFY(!refused.start(&error));
        QVERIFY2(error.contains(u"damaged"_s) && error.contains(u".recover"_s), qPrintable(error));
        QVERIFY(!refused.isListening());
        const auto [status, output] = runCheck(fixture.dataDir());
        QCOMPARE(status, 1);
        QVERIFY2(output.contains(u"DAMAGED"_s), qPrintable(output));
    }

    void aDataDirectoryThatCannotBeWrittenIsSaidSo()
    {
        // Once: a read-only data directory was reported as "in use by another server (process 0)".
        QTemporaryDir dir;
        // The lock file cannot be made (a directory holds its name): what a read-only or full disk does, also for
        // root, whom file modes do not stop.
        QVERIFY(QDir(dir.path()).mkdir(u"inkroom-server.lock"_s));
        ServerFixture fixture([&dir](server::ServerConfig &config) { config.dataDir = dir.path(); });
        server::Server refused(fixture.config());
        QString error;
        QVERIFY(!refused.start(&error));
        QVERIFY2(error.contains(u"cannot write in the data directory"_s), qPrintable(error));
        QVERIFY2(!error.contains(u"another server"_s), qPrintable(error));
        if (::geteuid() != 0) {
            QTemporaryDir readOnly;
            QVERIFY(QFile::setPermissions(readOnly.path(), QFile::ReadOwner | QFile::ExeOwner));
            ServerFixture locked([&readOnly](server::ServerConfig &config) { config.dataDir = readOnly.path(); });
            server::Server refusedToo(locked.config());
            QVERIFY(!refusedToo.start(&error));
            QVERIFY2(error.contains(u"permission denied or read-only"_s), qPrintable(error));
            QVERIFY(QFile::setPermissions(readOnly.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        }
        // A lock held by a live server is what "in use by another server" means.
        ServerFixture first;
        QVERIFY(first.start());
        server::Server second(first.config());
        QVERIFY(!second.start(&error));
        QVERIFY2(error.contains(u"in use by another server (process %1)"_s.arg(QCoreApplication::applicationPid())),
                 qPrintable(error));
    }

    void anOpThatNoLongerDecodesIsNotSkipped()
    {
        // Once: an op body that no longer decoded was skipped with a log line, and the room served without it.
        ServerFixture fixture;
        QVERIFY(roomWithWork(fixture));
        {
            DatabaseProbe probe(fixture.dataDir());
            QVERIFY(probe.exec(u"UPDATE ops SET body = x'7b7b7b' WHERE seq = 2"_s));
        }
        QVERIFY(fixture.start());
        TestClient late(u"client-late-00002"_s, u"Late"_s);
        QVERIFY(!late.join(fixture.url(), kRoom));
        QCOMPARE(late.closeCode(), quint16(QWebSocketProtocol::CloseCodeBadOperation));
        QCOMPARE(late.count<Welcome>(), 0);
        // Other rooms are served.
        TestClient elsewhere(u"client-else-00001"_s, u"Else"_s);
        QVERIFY(elsewhere.join(fixture.url(), u"another room"_s));
        fixture.stop();
        DatabaseProbe probe(fixture.dataDir());
        QCOMPARE(probe.number(u"SELECT COUNT(*) FROM rooms NOT INDEXED WHERE name = 'precious'"_s), 1);
    }
};

QTEST_GUILESS_MAIN(TestServerDamage)
#include "tst_server_damage.moc"
