// A room that outlives its host (docs/PROTOCOL.md, "Handing a room over"), end to end: three members, one of them
// inkroom-cli, and a host that is killed with SIGKILL while they draw and chat, or that hands the room over while
// their changes are in flight. Afterwards every member sees every change exactly once.
#include "cliprocess.h"
#include "roomhandover.h"
#include "serverfixture.h"
#include "session.h"
#include "testutil.h"

#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
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

} // namespace

class AppHandoverTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hostKilledWhileEveryoneDraws();
    void plannedHandoverWithWorkInFlight();
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

QTEST_MAIN(AppHandoverTest)
#include "tst_app_handover.moc"
