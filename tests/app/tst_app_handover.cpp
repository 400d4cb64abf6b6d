// A room that outlives its host (docs/PROTOCOL.md, "Handing a room over"), end to end: three members, one of them
// inkroom-cli, and a host that is killed with SIGKILL while they draw and chat, or that hands the room over while
// their changes are in flight. Afterwards every member sees every change exactly once.
#include "appcontroller.h"
#include "cliprocess.h"
#include "imagelibrary.h"
#include "knownservers.h"
#include "roomhandover.h"
#include "serverfixture.h"
#include "session.h"
#include "testutil.h"

#include <QBuffer>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using client::Session;

namespace {

constexpr int kWait = 30000;
const QString kRoom = u"outlives"_s;

client::Timings timings()
{
    client::Timings t = test::fastTimings();
    t.failoverAfterMs = 1500;
    return t;
}

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

//! How often each line appears.
QMap<QString, int> counted(const QStringList &lines)
{
    QMap<QString, int> counts;
    for (const QString &line : lines)
        ++counts[line];
    return counts;
}

//! The texts of a session's confirmed chat, without "seq author: ".
QStringList chatTexts(const Session &session)
{
    QStringList texts;
    for (const QString &line : test::chatLines(session))
        texts.append(line.section(u": "_s, 1));
    return texts;
}

//! A member who can serve: a Session with the app's RoomHandover, its server on loopback.
struct ServingMember
{
    explicit ServingMember(const QString &serverDir)
    {
        handover.setBindAddress(QHostAddress::LocalHost);
        handover.setDataDir(serverDir);
        session.setTimings(timings());
        session.setCanServe(true);
    }
    Session session;
    ui::RoomHandover handover {&session};
};

//! inkroom-server in a process of its own, so that it can be killed with SIGKILL.
struct HostProcess
{
    bool start(const QString &dataDir)
    {
        port = freePort();
        process.setProgram(QStringLiteral(INKROOM_SERVER_EXE));
        process.setArguments({u"--bind"_s, u"127.0.0.1"_s, u"--port"_s, QString::number(port), u"--data-dir"_s, dataDir,
                              u"--no-announce"_s});
        process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        process.start();
        if (!process.waitForStarted())
            return false;
        QByteArray output;
        QDeadlineTimer deadline(10000);
        while (!output.contains("wss://") && !deadline.hasExpired()) {
            process.waitForReadyRead(200);
            output += process.readAllStandardOutput();
        }
        static const QRegularExpression fingerprintLine(u"fingerprint \\(SHA-256\\): ([0-9A-F:]{95})"_s);
        fingerprint = fingerprintLine.match(QString::fromUtf8(output)).captured(1);
        return !fingerprint.isEmpty();
    }
    [[nodiscard]] QUrl url() const { return QUrl(u"wss://127.0.0.1:%1"_s.arg(port)); }

    QProcess process;
    quint16 port = 0;
    QString fingerprint;
};

//! The cseqs a run of inkroom-cli had acknowledged.
QList<int> acknowledgedCseqs(const test::CliProcess &cli)
{
    QList<int> cseqs;
    for (const QJsonObject &ack : cli.events(u"ack"_s))
        cseqs.append(ack.value("cseq"_L1).toInt());
    return cseqs;
}

//! A PNG of random pixels (it does not compress): about 3 * side^2 bytes, so it travels in several pieces.
QByteArray randomPng(int side, quint32 seed)
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

} // namespace

class AppHandoverTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hostKilledWhileEveryoneDraws();
    void plannedHandoverWithWorkInFlight();
    void unsentWorkFollowsTheRoomAcrossKills();
    void theAppThatTookTheRoomOverIsItsHost();
    void picturesTravelWithTheRoom();
};

void AppHandoverTest::hostKilledWhileEveryoneDraws()
{
    QTemporaryDir hostData, annState, bobState, bobServers, cyState;
    const quint16 port = freePort();
    QProcess host;
    host.setProgram(QStringLiteral(INKROOM_SERVER_EXE));
    host.setArguments({u"--bind"_s, u"127.0.0.1"_s, u"--port"_s, QString::number(port), u"--data-dir"_s,
                       hostData.path(), u"--no-announce"_s});
    host.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    host.start();
    QVERIFY(host.waitForStarted());
    QByteArray output;
    QTRY_VERIFY_WITH_TIMEOUT((output += host.readAllStandardOutput()).contains("wss://"), 10000);
    static const QRegularExpression fingerprintLine(u"fingerprint \\(SHA-256\\): ([0-9A-F:]{95})"_s);
    const QString fingerprint = fingerprintLine.match(QString::fromUtf8(output)).captured(1);
    QVERIFY2(!fingerprint.isEmpty(), output.constData());
    const QUrl url(u"wss://127.0.0.1:%1"_s.arg(port));

    Session ann;
    ann.setTimings(timings());
    ann.setStateDirectory(annState.path());
    ann.setExpectedFingerprint(fingerprint);
    ann.join(url, kRoom, u"Ann"_s, Qt::red);
    QTRY_COMPARE_WITH_TIMEOUT(ann.state(), Session::Online, kWait);

    ServingMember bob(bobServers.path());
    bob.session.setStateDirectory(bobState.path());
    bob.session.setExpectedFingerprint(fingerprint);
    bob.session.join(url, kRoom, u"Bob"_s, Qt::blue);
    QTRY_COMPARE_WITH_TIMEOUT(bob.session.state(), Session::Online, kWait);
    // The host chose Bob's app, the only one that can serve, and everybody knows it.
    QTRY_COMPARE_WITH_TIMEOUT(ann.moves()->standbyName(), u"Bob"_s, kWait);
    QVERIFY(bob.session.moves()->standingBy());

    test::CliProcess cy(QStringLiteral(INKROOM_CLI_EXE),
                        {u"--server"_s, url.toString(), u"--room"_s, kRoom, u"--name"_s, u"Cy"_s, u"--fingerprint"_s,
                         fingerprint, u"--state-dir"_s, cyState.path()});
    QVERIFY2(cy.waitForEvent(u"synced"_s, kWait), qPrintable(cy.errors()));

    const auto drawAndSay = [&](int from, int to) {
        for (int i = from; i <= to; ++i) {
            ann.addShape(client::BoardDocument::Rect, Qt::red, 2, {double(i), 0}, {double(i) + 5, 5});
            ann.sendChat(u"ann %1"_s.arg(i));
            bob.session.sendChat(u"bob %1"_s.arg(i));
            cy.write(u"cy %1"_s.arg(i));
        }
    };
    drawAndSay(1, 10);
    QTRY_COMPARE_WITH_TIMEOUT(ann.pendingCount(), 0, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(bob.session.pendingCount(), 0, kWait);
    QVERIFY(cy.waitFor([&](const QJsonObject &) { return cy.events(u"ack"_s).size() >= 10; }, kWait));
    const QStringList acknowledged = test::chatLines(ann);

    // The host vanishes while everybody keeps going: some of this is in flight, some made while nobody serves.
    drawAndSay(11, 15);
    host.kill(); // SIGKILL: no goodbye, no commit after this
    QVERIFY(host.waitForFinished(kWait));
    drawAndSay(16, 20);

    // Bob's app takes the room over; Ann and Cy follow by themselves.
    QTRY_VERIFY_WITH_TIMEOUT(bob.handover.serving(), kWait);
    const int newPort = bob.handover.server().port();
    QTRY_COMPARE_WITH_TIMEOUT(ann.serverUrl().port(), newPort, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(ann.state(), Session::Online, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(ann.pendingCount(), 0, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(bob.session.state(), Session::Online, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(bob.session.pendingCount(), 0, kWait);
    cy.write(u"/quit"_s); // waits for every line to be acknowledged
    QVERIFY(cy.waitForExit(kWait));
    QCOMPARE(cy.exitCode(), 0);
    QVERIFY(!ann.moves()->notice().isEmpty());

    // Somebody who joins the new server now sees every change exactly once.
    Session late;
    late.setTimings(timings());
    late.setExpectedFingerprint(bob.handover.server().fingerprint());
    late.join(QUrl(bob.handover.server().localAddress()), kRoom, u"Di"_s, Qt::darkGreen);
    QTRY_COMPARE_WITH_TIMEOUT(late.state(), Session::Online, kWait);
    for (const Session *member : {&late, &ann, &bob.session}) {
        const QMap<QString, int> counts = counted(chatTexts(*member));
        for (const QString &who : {u"ann"_s, u"bob"_s, u"cy"_s}) {
            for (int i = 1; i <= 20; ++i)
                QTRY_COMPARE_WITH_TIMEOUT(counted(chatTexts(*member)).value(u"%1 %2"_s.arg(who).arg(i)), 1, kWait);
        }
        QCOMPARE(int(counts.size()), 60);
    }
    // What was acknowledged before the kill kept its place in the log.
    const QStringList after = test::chatLines(late);
    for (const QString &line : acknowledged)
        QVERIFY2(after.contains(line), qPrintable(line));
    QCOMPARE(late.boardItems()->rowCount(), 20);
}

void AppHandoverTest::plannedHandoverWithWorkInFlight()
{
    QTemporaryDir annState, bobState, bobServers, cyState;
    test::ServerFixture host;
    QVERIFY(host.start());

    Session ann;
    ann.setTimings(timings());
    ann.setStateDirectory(annState.path());
    ann.join(host.url(), kRoom, u"Ann"_s, Qt::red);
    QTRY_COMPARE_WITH_TIMEOUT(ann.state(), Session::Online, kWait);
    QVERIFY(ann.isOwner());
    ServingMember bob(bobServers.path());
    bob.session.setStateDirectory(bobState.path());
    bob.session.join(host.url(), kRoom, u"Bob"_s, Qt::blue);
    QTRY_COMPARE_WITH_TIMEOUT(bob.session.state(), Session::Online, kWait);
    Session cy;
    cy.setTimings(timings());
    cy.setStateDirectory(cyState.path());
    cy.join(host.url(), kRoom, u"Cy"_s, Qt::darkYellow);
    QTRY_COMPARE_WITH_TIMEOUT(cy.state(), Session::Online, kWait);
    // Ann's app lists who can take the room.
    QTRY_VERIFY_WITH_TIMEOUT(ann.people()->rowCount() == 3, kWait);
    for (int row = 0; row < 3; ++row) {
        const QModelIndex at = ann.people()->index(row);
        QCOMPARE(at.data(client::PeopleModel::CanServeRole).toBool(),
                 at.data(client::PeopleModel::NameRole).toString() == u"Bob"_s);
    }
    // Cy cannot serve: the server refuses, whatever the app asks.
    QVERIFY(ann.handOver(cy.clientId()));
    QSignalSpy errors(&ann, &Session::serverError);
    QTRY_VERIFY_WITH_TIMEOUT(!errors.isEmpty(), kWait);
    QCOMPARE(errors.first().at(0).toString(), u"cannot_serve"_s);

    for (int i = 1; i <= 10; ++i) {
        ann.sendChat(u"ann %1"_s.arg(i));
        cy.sendChat(u"cy %1"_s.arg(i));
    }
    QVERIFY(ann.handOver(bob.session.clientId()));
    for (int i = 11; i <= 20; ++i) {
        ann.sendChat(u"ann %1"_s.arg(i));
        cy.sendChat(u"cy %1"_s.arg(i));
    }

    QTRY_VERIFY_WITH_TIMEOUT(bob.handover.serving(), kWait);
    const int newPort = bob.handover.server().port();
    for (Session *member : {&ann, &cy, &bob.session}) {
        QTRY_COMPARE_WITH_TIMEOUT(member->serverUrl().port(), newPort, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(member->state(), Session::Online, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(member->pendingCount(), 0, kWait);
    }
    QCOMPARE(cy.moves()->notice(), u"The room moved to Bob's computer."_s);
    // Ann still owns the room at its new address.
    QTRY_VERIFY_WITH_TIMEOUT(ann.isOwner(), kWait);
    for (Session *member : {&ann, &cy, &bob.session}) {
        for (const QString &who : {u"ann"_s, u"cy"_s}) {
            for (int i = 1; i <= 20; ++i)
                QTRY_COMPARE_WITH_TIMEOUT(counted(chatTexts(*member)).value(u"%1 %2"_s.arg(who).arg(i)), 1, kWait);
        }
        QCOMPARE(int(chatTexts(*member).size()), 40);
    }
}

// The guarantee across a move and two crashes: inkroom-cli has changes the host never acknowledged when the host is
// killed; it follows the room to Bob's computer and is killed there too (its journal is filed under the old address).
// Started again by the old link it finds the room at its new address and delivers every change exactly once; started
// by the new address (its recent room) it is the same member, trusts the certificate the move came with, and has
// nothing left to send.
void AppHandoverTest::unsentWorkFollowsTheRoomAcrossKills()
{
    QTemporaryDir hostData, annState, bobState, bobServers, cyState, cyPins;
    HostProcess host;
    QVERIFY(host.start(hostData.path()));
    const QString pins = cyPins.filePath(u"known-servers.json"_s);

    Session ann;
    ann.setTimings(timings());
    ann.setStateDirectory(annState.path());
    ann.setExpectedFingerprint(host.fingerprint);
    ann.join(host.url(), kRoom, u"Ann"_s, Qt::red);
    QTRY_COMPARE_WITH_TIMEOUT(ann.state(), Session::Online, kWait);
    ServingMember bob(bobServers.path());
    bob.session.setStateDirectory(bobState.path());
    bob.session.setExpectedFingerprint(host.fingerprint);
    bob.session.join(host.url(), kRoom, u"Bob"_s, Qt::blue);
    QTRY_VERIFY_WITH_TIMEOUT(bob.session.moves()->standingBy(), kWait);
    QTRY_COMPARE_WITH_TIMEOUT(ann.moves()->standbyName(), u"Bob"_s, kWait);

    const QStringList cyArguments {
        u"--server"_s,      host.url().toString(), u"--room"_s,      kRoom,          u"--name"_s,          u"Cy"_s,
        u"--fingerprint"_s, host.fingerprint,      u"--state-dir"_s, cyState.path(), u"--known-servers"_s, pins};
    QString cyId;
    QString movedTo;
    {
        test::CliProcess cy(QStringLiteral(INKROOM_CLI_EXE), cyArguments);
        QVERIFY2(cy.waitForEvent(u"synced"_s, kWait), qPrintable(cy.errors()));
        QTRY_VERIFY_WITH_TIMEOUT(!cy.clientId().isEmpty(), kWait);
        cyId = cy.clientId();
        for (int i = 1; i <= 5; ++i)
            cy.write(u"cy %1"_s.arg(i));
        QVERIFY(cy.waitFor([&](const QJsonObject &) { return cy.events(u"ack"_s).size() >= 5; }, kWait));
        // Bob's computer must hold all of it before the host goes.
        QTRY_VERIFY_WITH_TIMEOUT(bob.session.moves()->copy().head() >= 5, kWait);

        // The host is killed: what Cy writes now is kept in its journal, unacknowledged.
        host.process.kill();
        QVERIFY(host.process.waitForFinished(kWait));
        for (int i = 6; i <= 12; ++i)
            cy.write(u"cy %1"_s.arg(i));
        // In its journal, on disk ("saved" names the highest cseq kept so far).
        QVERIFY(cy.waitFor(
            [](const QJsonObject &event) {
                return event.value("type"_L1).toString() == "saved"_L1 && event.value("cseq"_L1).toInt() >= 12;
            },
            kWait));
        // Cy follows the room to Bob's computer, and is killed there, with whatever it had not delivered yet.
        QVERIFY2(cy.waitForEvent(u"moved"_s, kWait), qPrintable(cy.errors()));
        cy.kill();
        QVERIFY(cy.waitForExit(kWait));
        QVERIFY(cy.crashed());
        movedTo = cy.events(u"moved"_s).first().value("url"_L1).toString();
        QCOMPARE(QUrl(movedTo).port(), bob.handover.server().port());
    }
    QTRY_VERIFY_WITH_TIMEOUT(bob.handover.serving(), kWait);
    const QUrl newUrl(bob.handover.server().localAddress());

    // Started again by the old link (and the old host's fingerprint): the room is found at Bob's computer.
    QList<int> delivered;
    {
        test::CliProcess cy(QStringLiteral(INKROOM_CLI_EXE), cyArguments);
        QVERIFY2(cy.waitForEvent(u"synced"_s, kWait), qPrintable(cy.errors()));
        QCOMPARE(cy.clientId(), cyId);
        cy.write(u"/quit"_s); // waits until everything it holds is acknowledged
        QVERIFY(cy.waitForExit(kWait));
        QVERIFY2(cy.exitCode() == 0, qPrintable(cy.errors()));
        QVERIFY(cy.events(u"certificate"_s).isEmpty());
        delivered = acknowledgedCseqs(cy);
    }
    // Started by the new address, as its recent room would be: the same member, the pinned certificate, nothing to
    // send again.
    {
        QStringList arguments = cyArguments;
        arguments[1] = movedTo;
        arguments.removeAt(arguments.indexOf(u"--fingerprint"_s) + 1);
        arguments.removeAll(u"--fingerprint"_s);
        test::CliProcess cy(QStringLiteral(INKROOM_CLI_EXE), arguments);
        QVERIFY2(cy.waitForEvent(u"synced"_s, kWait), qPrintable(cy.errors()));
        QCOMPARE(cy.clientId(), cyId);
        QVERIFY(cy.events(u"certificate"_s).isEmpty());
        cy.write(u"cy 13"_s);
        cy.write(u"/quit"_s);
        QVERIFY(cy.waitForExit(kWait));
        QVERIFY2(cy.exitCode() == 0, qPrintable(cy.errors()));
        QCOMPARE(cy.events(u"ack"_s).size(), 1);
        QCOMPARE(cy.events(u"queued"_s).size(), 1);
    }

    // Every line once, in the new room, to a member who joins it afterwards.
    Session late;
    late.setTimings(timings());
    late.setExpectedFingerprint(bob.handover.server().fingerprint());
    late.join(newUrl, kRoom, u"Di"_s, Qt::darkGreen);
    QTRY_COMPARE_WITH_TIMEOUT(late.state(), Session::Online, kWait);
    for (int i = 1; i <= 13; ++i)
        QTRY_COMPARE_WITH_TIMEOUT(counted(chatTexts(late)).value(u"cy %1"_s.arg(i)), 1, kWait);
    QCOMPARE(int(chatTexts(late).size()), 13);
    // What the old host never acknowledged and the killed run had not delivered, the restarted run did.
    for (int cseq : delivered)
        QVERIFY2(cseq >= 6 && cseq <= 12, qPrintable(QString::number(cseq)));
    qInfo("the restarted run delivered %lld changes the killed run had not", qint64(delivered.size()));
}

// After a takeover the app that serves the room shows what a host sees: the link, the join code and the certificate
// of its own server, and the host's question on leaving; what it may not do (hand over, not being an owner) is
// refused and leaves it the host; closing the room closes it for everyone.
void AppHandoverTest::theAppThatTookTheRoomOverIsItsHost()
{
    QStandardPaths::setTestModeEnabled(true);
    QTemporaryDir hostData, annState, bobServers;
    HostProcess host;
    QVERIFY(host.start(hostData.path()));

    Session ann;
    ann.setTimings(timings());
    ann.setStateDirectory(annState.path());
    ann.setExpectedFingerprint(host.fingerprint);
    ann.join(host.url(), kRoom, u"Ann"_s, Qt::red);
    QTRY_COMPARE_WITH_TIMEOUT(ann.state(), Session::Online, kWait);

    ui::StartupOptions options;
    options.name = u"Bob"_s;
    ui::AppController bob(options);
    bob.handover()->setBindAddress(QHostAddress::LocalHost);
    bob.handover()->setDataDir(bobServers.path());
    bob.session()->setTimings(timings());
    QVERIFY(client::KnownServers(bob.knownServersFile())
                .remember(client::KnownServers::keyFor(host.url()), host.fingerprint));
    bob.join(u"inkroom://127.0.0.1:%1/%2"_s.arg(host.port).arg(kRoom));
    QVERIFY2(bob.joinError().isEmpty(), qPrintable(bob.joinError()));
    QTRY_COMPARE_WITH_TIMEOUT(bob.session()->state(), Session::Online, kWait);
    QTRY_VERIFY_WITH_TIMEOUT(bob.session()->moves()->standingBy(), kWait);
    QTRY_COMPARE_WITH_TIMEOUT(ann.moves()->standbyName(), u"Bob"_s, kWait);
    // A member standing by is no host: no link, no code, and leaving asks nothing.
    QVERIFY(!bob.hosting());
    QVERIFY(bob.link().isEmpty());
    QVERIFY(bob.joinCode().isEmpty());

    host.process.kill();
    QVERIFY(host.process.waitForFinished(kWait));
    QTRY_VERIFY_WITH_TIMEOUT(bob.handover()->serving(), kWait);
    QTRY_VERIFY_WITH_TIMEOUT(bob.hosting(), kWait);
    const ui::RoomHost &server = bob.handover()->server();
    QCOMPARE(bob.roomHost(), &bob.handover()->server());
    QCOMPARE(bob.roomHost()->fingerprint(), server.fingerprint());
    QVERIFY2(bob.link().contains(u":%1/"_s.arg(server.port())), qPrintable(bob.link()));
    QVERIFY(!bob.joinCode().isEmpty());
    QCOMPARE(bob.roomName(), kRoom);
    // Its recent room is the room at its new address.
    QCOMPARE(bob.recentRooms()->index(0).data(ui::RecentRooms::ServerRole).toString(), server.addresses().first());
    QTRY_COMPARE_WITH_TIMEOUT(ann.serverUrl().port(), server.port(), kWait);
    QTRY_COMPARE_WITH_TIMEOUT(ann.state(), Session::Online, kWait);
    // Bob's own session rejoins the room at its new address too; the host's verbs below act on that session.
    QTRY_COMPARE_WITH_TIMEOUT(bob.session()->state(), Session::Online, kWait);

    // Refused: Bob is not an owner, so he cannot hand the room on; he stays its host and it stays here.
    bob.handOverAndLeave(ann.clientId());
    QVERIFY(bob.hosting());
    QCOMPARE(bob.session()->state(), Session::Online);

    // Leaving asks the host's question.
    bob.leave();
    QCOMPARE(bob.leaveQuestion(), ui::AppController::Leaving);
    bob.cancelLeave();
    QCOMPARE(bob.page(), ui::AppController::Room);

    // Closed for everyone: Ann is told, and nothing is served here any more.
    bob.leave();
    bob.closeForEveryone();
    QCOMPARE(bob.page(), ui::AppController::Start);
    QVERIFY(!bob.hosting());
    QTRY_COMPARE_WITH_TIMEOUT(ann.state(), Session::Failed, kWait);
    QTRY_VERIFY_WITH_TIMEOUT(!bob.handover()->serving(), kWait);
    QVERIFY(bob.link().isEmpty());
}

// A board with pictures: the standby's copy gets their bytes in pieces; after the host is killed, the new host serves
// them, byte for byte, to somebody who joins afterwards. One added while the host is gone waits in its author's outbox
// and reaches the new host with its picture.
void AppHandoverTest::picturesTravelWithTheRoom()
{
    QTemporaryDir hostData, annState, bobState, bobServers, diState;
    HostProcess host;
    QVERIFY(host.start(hostData.path()));
    Session ann;
    ann.setTimings(timings());
    ann.setStateDirectory(annState.path());
    ann.setExpectedFingerprint(host.fingerprint);
    ann.join(host.url(), kRoom, u"Ann"_s, Qt::red);
    QTRY_COMPARE_WITH_TIMEOUT(ann.state(), Session::Online, kWait);
    ServingMember bob(bobServers.path());
    bob.session.setStateDirectory(bobState.path());
    bob.session.setExpectedFingerprint(host.fingerprint);
    bob.session.join(host.url(), kRoom, u"Bob"_s, Qt::blue);
    QTRY_VERIFY_WITH_TIMEOUT(bob.session.moves()->standingBy(), kWait);
    QTRY_COMPARE_WITH_TIMEOUT(ann.moves()->standbyName(), u"Bob"_s, kWait);

    const QByteArray before = randomPng(500, 7); // about 750 KB: two pieces
    QString error;
    QVERIFY2(!ann.addImageBytes(before, {0, 0}, &error).isEmpty(), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(ann.pendingCount(), 0, kWait);
    const QString beforeHash = proto::blobHashOf(before);
    QTRY_VERIFY_WITH_TIMEOUT(bob.session.moves()->copy().hasImage(beforeHash), kWait);

    host.process.kill();
    QVERIFY(host.process.waitForFinished(kWait));
    const QByteArray during = randomPng(200, 8);
    QVERIFY2(!ann.addImageBytes(during, {600, 0}, &error).isEmpty(), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(bob.handover.serving(), kWait);
    QTRY_COMPARE_WITH_TIMEOUT(ann.serverUrl().port(), bob.handover.server().port(), kWait);
    QTRY_COMPARE_WITH_TIMEOUT(ann.pendingCount(), 0, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(ann.imageTransfers(), 0, kWait);

    // Di has never seen either picture: both come from the new host, as they were.
    render::ImageLibrary::instance().clear();
    Session di;
    di.setTimings(timings());
    di.setStateDirectory(diState.path());
    di.setExpectedFingerprint(bob.handover.server().fingerprint());
    di.join(QUrl(bob.handover.server().localAddress()), kRoom, u"Di"_s, Qt::darkGreen);
    QTRY_COMPARE_WITH_TIMEOUT(di.state(), Session::Online, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(di.boardItems()->rowCount(), 2, kWait);
    for (const QByteArray &picture : {before, during}) {
        const QString hash = proto::blobHashOf(picture);
        QTRY_VERIFY_WITH_TIMEOUT(render::ImageLibrary::instance().contains(hash), kWait);
        QFile cached(QDir(diState.path()).filePath(u"images/cache/"_s + hash));
        QTRY_VERIFY_WITH_TIMEOUT(cached.exists(), kWait);
        QVERIFY(cached.open(QIODevice::ReadOnly));
        QCOMPARE(proto::blobHashOf(cached.readAll()), hash);
    }
}

QTEST_MAIN(AppHandoverTest)
#include "tst_app_handover.moc"
