// Discovery with a real responder: real inkroom-servers (in-process and the executable) announced through a real
// avahi-daemon, seen by avahi-browse, by the app's list (LanDirectory, NetworkServersModel) and by inkroom-cli
// --discover. Runs only inside tests/lan/in-lan-namespace.sh: its own network namespace, D-Bus and avahi-daemon;
// nothing here ever reaches the machine's real interfaces.
#include "appcontroller.h"
#include "joincode.h"
#include "landirectory.h"
#include "networkserversmodel.h"
#include "roomseed.h"
#include "server.h"
#include "serviceannouncer.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

using namespace Qt::StringLiterals;
using namespace inkroom;

namespace {

constexpr int kSeconds = 1000;

std::unique_ptr<server::Server> announcedServer(const QTemporaryDir &dir, const QString &name,
                                                const QString &token = {})
{
    server::ServerConfig config;
    config.bind = QHostAddress::Any; // announced: reachable from the (simulated) network
    config.port = 0;
    config.dataDir = dir.path();
    config.announce = true;
    config.displayName = name;
    config.joinToken = token;
    config.passwordIterations = 1000;
    auto server = std::make_unique<server::Server>(config);
    QString error;
    if (!server->start(&error))
        qWarning("server: %s", qPrintable(error));
    return server;
}

//! Lines of inkroom-cli --discover, decoded.
QList<QJsonObject> discover(double seconds, int *exitCode)
{
    QProcess cli;
    cli.start(QStringLiteral(INKROOM_CLI_EXE), {u"--discover"_s, u"--timeout"_s, QString::number(seconds)});
    cli.waitForFinished(int(seconds * 1000) + 10 * kSeconds);
    *exitCode = cli.exitCode();
    QList<QJsonObject> lines;
    for (const QByteArray &line : cli.readAllStandardOutput().split('\n')) {
        if (!line.trimmed().isEmpty())
            lines.append(QJsonDocument::fromJson(line).object());
    }
    return lines;
}

} // namespace

class TestLanDiscovery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariable("INKROOM_LAN_NS") != u"1"_s)
            QSKIP("runs only inside tests/lan/in-lan-namespace.sh (mDNS never on the real network)");
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"InkroomTest"_s);
        QCoreApplication::setApplicationName(u"inkroom-lan"_s);
        QSettings().clear();
    }

    /** The "done when": one app hosts a room, another sees it under "On this network" and joins it with one
     *  call (what one click does), never typing an address and never asked to trust the certificate: the
     *  announcement answered that. */
    void aHostedRoomIsJoinedWithOneClick()
    {
        QTemporaryDir hostData;
        ui::StartupOptions options;
        options.name = u"Ms Lee"_s;
        options.lan = true;
        ui::AppController host(options);
        host.roomHost()->setDataDir(hostData.path());
        host.host(u"Design review"_s);
        QTRY_COMPARE_WITH_TIMEOUT(host.session()->state(), client::Session::Online, 10 * kSeconds);

        options.name = u"Sam"_s;
        ui::AppController guest(options);
        client::NetworkServersModel *list = guest.networkServers();
        const auto rowWithRoom = [list] {
            for (int r = 0; r < list->count(); ++r) {
                const QModelIndex row = list->index(r);
                if (row.data(client::NetworkServersModel::NameRole).toString() == u"Ms Lee"_s
                    && row.data(client::NetworkServersModel::RoomsRole).toList().size() == 1)
                    return r;
            }
            return -1;
        };
        QTRY_VERIFY_WITH_TIMEOUT(rowWithRoom() >= 0, 10 * kSeconds);
        const QVariantMap room =
            list->index(rowWithRoom()).data(client::NetworkServersModel::RoomsRole).toList().first().toMap();
        QCOMPARE(room.value(u"name"_s).toString(), u"Design review"_s);
        QCOMPARE(room.value(u"members"_s).toInt(), 1);

        QSignalSpy asked(guest.session(), &client::Session::trustRequested);
        guest.joinFromNetwork(u"Ms Lee"_s, u"Design review"_s);
        QVERIFY2(guest.joinError().isEmpty(), qPrintable(guest.joinError()));
        QCOMPARE(guest.page(), ui::AppController::Room);
        QTRY_COMPARE_WITH_TIMEOUT(guest.session()->state(), client::Session::Online, 10 * kSeconds);
        QCOMPARE(asked.size(), 0);
        QCOMPARE(guest.session()->serverFingerprint(), host.roomHost()->fingerprint());
        QCOMPARE(guest.trustNote(), u"matches the fingerprint announced on this network"_s);
        QVERIFY(host.trustNote().isEmpty()); // its own server: nothing was announced to it
        QTRY_COMPARE(host.session()->memberCount(), 2);
        // Its card under Recent rooms says it is on this network now, with the two people in it. (The host's own
        // card, in the settings both share here, is its hosted room.)
        ui::RecentRooms *recent = guest.recentRooms();
        const QModelIndex card = recent->index(0);
        QCOMPARE(card.data(ui::RecentRooms::RoomRole).toString(), u"Design review"_s);
        QVERIFY(!card.data(ui::RecentRooms::HostedRole).toBool());
        QTRY_COMPARE_WITH_TIMEOUT(card.data(ui::RecentRooms::MembersRole).toInt(), 2, 10 * kSeconds);
        QVERIFY(card.data(ui::RecentRooms::OnNetworkRole).toBool());
        QVERIFY(card.data(ui::RecentRooms::StateTextRole).toString().startsWith(u"On this network now"_s));
        QVERIFY(guest.session()->sendChat(u"hello from the back row"_s));
        QTRY_COMPARE_WITH_TIMEOUT(host.session()->chat()->rowCount(), 1, 10 * kSeconds);

        // The code the host reads aloud finds the same room.
        const QString code = host.joinCode();
        QCOMPARE(client::normaliseJoinCode(code), code);
        guest.leave();
        QCOMPARE(guest.page(), ui::AppController::Start);
        guest.join(code.toLower().remove(u'-'));
        QVERIFY2(guest.joinError().isEmpty(), qPrintable(guest.joinError()));
        QCOMPARE(guest.page(), ui::AppController::Room);
        QCOMPARE(guest.roomName(), u"Design review"_s);
        QTRY_COMPARE_WITH_TIMEOUT(guest.session()->state(), client::Session::Online, 10 * kSeconds);
        guest.leave();
        // A code no room has is explained, not taken for an address.
        guest.join(u"ZZZ-ZZZ"_s);
        QVERIFY2(guest.joinError().contains(u"No room on this network has the code ZZZ-ZZZ"_s),
                 qPrintable(guest.joinError()));
        QCOMPARE(guest.page(), ui::AppController::Start);

        // A server that has gone is explained, not joined.
        guest.joinFromNetwork(u"Nobody's"_s, u"Design review"_s);
        QVERIFY(guest.joinError().contains(u"no longer on this network"_s));
        QCOMPARE(guest.page(), ui::AppController::Start);
        // The host leaves but keeps serving: the room stays on the network, with nobody in it, and its code works.
        host.leave();
        host.keepServing();
        QCOMPARE(host.backgroundRoom(), u"Design review"_s);
        const auto listedEmpty = [&] {
            for (int r = 0; r < list->count(); ++r) {
                const QVariantList rooms = list->index(r).data(client::NetworkServersModel::RoomsRole).toList();
                if (rooms.size() == 1 && rooms.first().toMap().value(u"members"_s).toInt() == 0)
                    return true;
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(listedEmpty(), 10 * kSeconds);
        guest.join(code);
        QVERIFY2(guest.joinError().isEmpty(), qPrintable(guest.joinError()));
        QTRY_COMPARE_WITH_TIMEOUT(guest.session()->state(), client::Session::Online, 10 * kSeconds);
        // Stop hosting: the guest is told, in the host's name.
        host.closeForEveryone();
        QTRY_COMPARE_WITH_TIMEOUT(guest.session()->failure(), client::Session::RoomClosed, 10 * kSeconds);
        QVERIFY2(guest.session()->reason().endsWith(u" closed the room."_s), qPrintable(guest.session()->reason()));
        QTRY_COMPARE_WITH_TIMEOUT(host.roomHost()->status(), ui::RoomHost::Stopped, 10 * kSeconds);
    }

    //! A certificate that is not the announced one is refused: the list says why, and a join sends nothing.
    void aCertificateOtherThanTheAnnouncedOneIsRefused()
    {
        QTemporaryDir dir;
        server::ServerConfig config;
        config.port = 0;
        config.dataDir = dir.path();
        server::Server real(config); // not announced itself
        QVERIFY(real.start());
        // Somebody on the network announces the real server's port with a fingerprint of their choosing.
        const QString claimed = QString(u"AB:"_s).repeated(31) + u"AB"_s;
        lan::ServiceAnnouncer impostor;
        impostor.announce(u"Impostor"_s, real.port(), lan::Announcement {u"Impostor"_s, 2, true, claimed, false});
        QTRY_COMPARE_WITH_TIMEOUT(impostor.state(), lan::ServiceAnnouncer::State::Announced, 10 * kSeconds);

        ui::StartupOptions options;
        options.name = u"Sam"_s;
        options.lan = true;
        ui::AppController guest(options);
        client::NetworkServersModel *list = guest.networkServers();
        QTRY_VERIFY_WITH_TIMEOUT(
            list->count() == 1 && !list->index(0).data(client::NetworkServersModel::ProblemRole).toString().isEmpty(),
            10 * kSeconds);
        const QString problem = list->index(0).data(client::NetworkServersModel::ProblemRole).toString();
        QVERIFY2(problem.contains(u"not the one it announced"_s), qPrintable(problem));
        QVERIFY(problem.contains(real.certificateFingerprint()));

        guest.joinFromNetwork(u"Impostor"_s, u"design"_s);
        QTRY_COMPARE_WITH_TIMEOUT(guest.session()->state(), client::Session::Failed, 10 * kSeconds);
        QCOMPARE(guest.session()->failure(), client::Session::ServerIdentityChanged);
        QVERIFY(guest.session()->reason().contains(claimed));
        QCOMPARE(real.loadedRoomCount(), 0); // no hello ever reached it
    }

    //! avahi-browse, a standard tool, sees the announcement with the TXT record PROTOCOL.md describes.
    void avahiBrowseSeesTheTxtRecord()
    {
        QTemporaryDir dir;
        auto server = announcedServer(dir, u"Room 214 projector"_s);
        QSignalSpy announced(server.get(), &server::Server::announcementChanged);
        QTRY_VERIFY_WITH_TIMEOUT(!server->announcedName().isEmpty(), 10 * kSeconds);
        QCOMPARE(server->announcedName(), u"Room 214 projector"_s);

        // Read until our service is resolved, not until avahi-browse ends: with -t it waits for every service it
        // saw to resolve, and the daemon may still know ones that earlier tests' servers withdrew (seen once in
        // CI, under load: no exit within 15 s).
        QProcess browse;
        browse.start(u"avahi-browse"_s, {u"-rtp"_s, u"_inkroom._tcp"_s});
        QString output;
        QString resolved;
        const auto readResolved = [&] {
            output += QString::fromUtf8(browse.readAllStandardOutput());
            for (const QString &line : output.split(u'\n')) {
                // A whole line (ended) that resolves this server's port.
                if (line.startsWith(u"="_s) && line.contains(u";%1;"_s.arg(server->port()))
                    && output.contains(line + u'\n'))
                    resolved = line;
            }
        };
        QElapsedTimer clock;
        clock.start();
        while (resolved.isEmpty() && clock.elapsed() < 15 * kSeconds && browse.state() != QProcess::NotRunning) {
            browse.waitForReadyRead(200);
            readResolved();
        }
        readResolved();
        browse.kill();
        browse.waitForFinished();
        QVERIFY2(!resolved.isEmpty(), qPrintable(output));
        QVERIFY(resolved.contains(u"Room\\032214\\032projector;_inkroom._tcp;local"_s));
        QString hex = server->certificateFingerprint().remove(u':').toLower();
        for (const QString &entry : {u"\"txtvers=1\""_s, u"\"protocol=2\""_s, u"\"tls=1\""_s, u"\"fp=%1\""_s.arg(hex),
                                     u"\"name=Room 214 projector\""_s, u"\"token=0\""_s})
            QVERIFY2(resolved.contains(entry), qPrintable(entry + u" not in "_s + resolved));
    }

    //! The app's list: a server shows up within seconds with its rooms, and leaves within seconds after it stops.
    void theListShowsAServerAndDropsIt()
    {
        client::LanDirectory directory;
        directory.setRefreshInterval(500);
        client::NetworkServersModel model(&directory);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        directory.start();
        QTRY_VERIFY_WITH_TIMEOUT(model.available(), 5 * kSeconds);
        QVERIFY(model.unavailableReason().isEmpty());

        QTemporaryDir dir;
        auto server = announcedServer(dir, u"Lab"_s);
        QElapsedTimer clock;
        clock.start();
        // Servers of the tests before may still be leaving: this one is found by its name.
        const auto rowOfLab = [&model] {
            for (int r = 0; r < model.count(); ++r) {
                if (model.index(r).data(client::NetworkServersModel::NameRole).toString() == u"Lab"_s)
                    return r;
            }
            return -1;
        };
        QTRY_VERIFY_WITH_TIMEOUT(rowOfLab() >= 0, 10 * kSeconds);
        qInfo("the server was listed after %lld ms", clock.elapsed());
        const QModelIndex row = model.index(rowOfLab());
        QCOMPARE(row.data(client::NetworkServersModel::NameRole).toString(), u"Lab"_s);
        QVERIFY(row.data(client::NetworkServersModel::SecureRole).toBool());

        // Somebody opens a room: the list shows it with one member.
        QWebSocket member;
        const auto entry = directory.server(u"Lab"_s);
        QVERIFY(entry);
        QCOMPARE(entry->announcement.fingerprint, server->certificateFingerprint());
        const auto lab = [&](int role) { return model.index(rowOfLab()).data(role); };
        QTRY_VERIFY_WITH_TIMEOUT(lab(client::NetworkServersModel::RoomsKnownRole).toBool(), 5 * kSeconds);
        QCOMPARE(lab(client::NetworkServersModel::RoomsRole).toList().size(), 0);
        member.ignoreSslErrors();
        connect(&member, &QWebSocket::sslErrors, &member, [&member] { member.ignoreSslErrors(); });
        member.open(server->localUrl());
        QTRY_VERIFY_WITH_TIMEOUT(member.state() == QAbstractSocket::ConnectedState, 5 * kSeconds);
        member.sendTextMessage(QString::fromUtf8(proto::encode(proto::Hello {proto::ProtocolVersion,
                                                                             u"client-lan-01"_s,
                                                                             u"0123456789abcdefghijklmnop"_s,
                                                                             u"Ann"_s,
                                                                             0xffff0000,
                                                                             u"design"_s,
                                                                             {},
                                                                             {},
                                                                             std::nullopt})));
        QTRY_COMPARE_WITH_TIMEOUT(lab(client::NetworkServersModel::RoomsRole).toList().size(), 1, 5 * kSeconds);
        const QVariantMap room = lab(client::NetworkServersModel::RoomsRole).toList().first().toMap();
        QCOMPARE(room.value(u"name"_s).toString(), u"design"_s);
        QCOMPARE(room.value(u"members"_s).toInt(), 1);
        QCOMPARE(room.value(u"password"_s).toBool(), false);

        member.close();
        clock.restart();
        server->shutdown();
        QTRY_COMPARE_WITH_TIMEOUT(rowOfLab(), -1, 10 * kSeconds);
        qInfo("the stopped server left the list after %lld ms", clock.elapsed());
    }

    //! A server that dies without a goodbye (SIGKILL) leaves the list too: the responder withdraws its records.
    void aKilledServerLeavesTheList()
    {
        client::LanDirectory directory;
        directory.start();
        QTemporaryDir dir;
        QProcess process;
        process.start(QStringLiteral(INKROOM_SERVER_EXE),
                      {u"--port"_s, u"0"_s, u"--data-dir"_s, dir.path(), u"--name"_s, u"Projector"_s, u"--insecure"_s});
        QTRY_VERIFY_WITH_TIMEOUT(directory.server(u"Projector"_s).has_value(), 10 * kSeconds);
        QVERIFY(!directory.server(u"Projector"_s)->announcement.tls);
        process.kill();
        process.waitForFinished();
        QElapsedTimer clock;
        clock.start();
        QTRY_VERIFY_WITH_TIMEOUT(!directory.server(u"Projector"_s).has_value(), 10 * kSeconds);
        qInfo("the killed server left the list after %lld ms", clock.elapsed());
    }

    /** inkroom-server prints the join code of each stored room where it prints its addresses: by its certificate
     *  with TLS, by its announced name (once announced) without; the code is the one the app finds the room by. */
    void theServerPrintsItsRoomsJoinCodes()
    {
        QTemporaryDir secureDir, plainDir;
        QString fingerprint;
        for (QTemporaryDir *dir : {&secureDir, &plainDir}) {
            // A room made in an earlier run: join it once, in-process.
            server::ServerConfig config;
            config.bind = QHostAddress::LocalHost;
            config.port = 0;
            config.dataDir = dir->path();
            config.insecure = dir == &plainDir;
            server::Server earlier(config);
            QVERIFY(earlier.start());
            if (!config.insecure)
                fingerprint = earlier.certificateFingerprint();
            client::Session member;
            member.setExpectedFingerprint(earlier.certificateFingerprint());
            member.join(earlier.localUrl(), u"Design review"_s, u"Ann"_s, QColor(Qt::black));
            QTRY_COMPARE_WITH_TIMEOUT(member.state(), client::Session::Online, 10 * kSeconds);
            member.leave();
        }
        const auto startupText = [](const QTemporaryDir &dir, const QStringList &extra, const QString &until) {
            QProcess process;
            process.start(QStringLiteral(INKROOM_SERVER_EXE),
                          QStringList {u"--port"_s, u"0"_s, u"--data-dir"_s, dir.path(), u"--name"_s, u"Lab"_s}
                              + extra);
            QString text;
            // Whether it got that far shows in what it printed, which the caller checks.
            static_cast<void>(QTest::qWaitFor(
                [&] {
                    text += QString::fromUtf8(process.readAllStandardOutput());
                    return text.contains(until) || process.state() == QProcess::NotRunning;
                },
                10 * kSeconds));
            process.terminate();
            process.waitForFinished();
            return text;
        };
        const QString secure = startupText(secureDir, {}, u"Stop with Ctrl+C."_s);
        const QString code = client::joinCode(fingerprint, u"Design review"_s);
        QVERIFY2(secure.contains(u"\n  %1  Design review\n"_s.arg(code)), qPrintable(secure));
        QVERIFY(secure.indexOf(code) < secure.indexOf(u"Stop with Ctrl+C."_s)); // with the addresses
        const QString plain = startupText(plainDir, {u"--insecure"_s}, u"  Design review\n"_s);
        // The name it was announced by, as DNS-SD may have renamed it ("Lab #2").
        const qsizetype from = plain.indexOf(u"Announced on the local network as \""_s);
        QVERIFY2(from >= 0, qPrintable(plain));
        const qsizetype nameStart = plain.indexOf(u'"', from) + 1;
        const QString announced = plain.mid(nameStart, plain.indexOf(u'"', nameStart) - nameStart);
        QVERIFY(announced.startsWith(u"Lab"_s));
        QVERIFY2(plain.contains(u"\n  %1  Design review\n"_s.arg(client::joinCode(announced, u"Design review"_s))),
                 qPrintable(plain));
        // Not announced: no code, since nothing could find the room by it.
        const QString hidden = startupText(secureDir, {u"--no-announce"_s}, u"Stop with Ctrl+C."_s);
        QVERIFY2(!hidden.contains(code), qPrintable(hidden));
    }

    /** A server waiting to take a room over (a standby's, stored rooms only) is not on the network until it serves
     *  the room: a seed it refuses leaves it unannounced; once seeded it is listed with that room. */
    void aStandbyIsListedOnlyOnceItServes()
    {
        client::LanDirectory directory;
        directory.setRefreshInterval(500);
        directory.start();
        QTemporaryDir standbyDir, controlDir;
        server::ServerConfig config;
        config.bind = QHostAddress::Any;
        config.port = 0;
        config.dataDir = standbyDir.path();
        config.announce = true;
        config.displayName = u"Standby"_s;
        config.storedRoomsOnly = true;
        server::Server standby(config);
        QString error;
        QVERIFY2(standby.start(&error), qPrintable(error));
        QVERIFY(!standby.announcing());
        // An announced server started after it is listed; the standby is not, then or later.
        auto control = announcedServer(controlDir, u"Control"_s);
        QTRY_VERIFY_WITH_TIMEOUT(directory.server(u"Control"_s).has_value(), 10 * kSeconds);
        QVERIFY(!directory.server(u"Standby"_s).has_value());

        // Somebody asks it for a room it does not serve: refused (not_serving, close 4032), and still not announced.
        QWebSocket early;
        connect(&early, &QWebSocket::sslErrors, &early, [&early] { early.ignoreSslErrors(); });
        early.open(standby.localUrl());
        QTRY_VERIFY_WITH_TIMEOUT(early.state() == QAbstractSocket::ConnectedState, 5 * kSeconds);
        early.sendTextMessage(QString::fromUtf8(proto::encode(proto::Hello {proto::ProtocolVersion,
                                                                            u"client-lan-02"_s,
                                                                            u"0123456789abcdefghijklmnop"_s,
                                                                            u"Ann"_s,
                                                                            0xffff0000,
                                                                            u"design"_s,
                                                                            {},
                                                                            {},
                                                                            std::nullopt})));
        QTRY_COMPARE_WITH_TIMEOUT(early.state(), QAbstractSocket::UnconnectedState, 5 * kSeconds);
        QCOMPARE(int(early.closeCode()), 4032);
        QVERIFY(!standby.announcing());
        QVERIFY(!directory.server(u"Standby"_s).has_value());

        proto::RoomSeed seed;
        seed.room = u"design"_s;
        seed.epoch = u"0123456789abcdef"_s;
        seed.head = 3;
        QVERIFY2(standby.seedRoom(seed, &error), qPrintable(error));
        QVERIFY(standby.announcing());
        QTRY_VERIFY_WITH_TIMEOUT(directory.server(u"Standby"_s).has_value(), 10 * kSeconds);
        QCOMPARE(directory.server(u"Standby"_s)->announcement.fingerprint, standby.certificateFingerprint());
        standby.shutdown();
        QTRY_VERIFY_WITH_TIMEOUT(!directory.server(u"Standby"_s).has_value(), 10 * kSeconds);
    }

    //! Two servers with the same name are both listed: DNS-SD renames the second.
    void twoServersWithOneNameAreBothListed()
    {
        QTemporaryDir first, second;
        auto a = announcedServer(first, u"Room 214"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!a->announcedName().isEmpty(), 10 * kSeconds);
        auto b = announcedServer(second, u"Room 214"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!b->announcedName().isEmpty(), 10 * kSeconds);
        QCOMPARE(a->announcedName(), u"Room 214"_s);
        QCOMPARE(b->announcedName(), u"Room 214 #2"_s);

        int exitCode = -1;
        const QList<QJsonObject> lines = discover(3, &exitCode);
        QCOMPARE(exitCode, 0);
        QMap<QString, QString> fingerprints; // name -> fingerprint
        for (const QJsonObject &line : lines) {
            if (line.value(u"type"_s) == u"server"_s && line.value(u"event"_s) == u"found"_s)
                fingerprints.insert(line.value(u"name"_s).toString(), line.value(u"fingerprint"_s).toString());
        }
        QCOMPARE(fingerprints.keys(), (QStringList {u"Room 214"_s, u"Room 214 #2"_s}));
        QCOMPARE(fingerprints.value(u"Room 214"_s), a->certificateFingerprint());
        QCOMPARE(fingerprints.value(u"Room 214 #2"_s), b->certificateFingerprint());
    }

    //! inkroom-cli --discover: a server within seconds, with its rooms; a token server says it needs the token.
    void cliDiscoverPrintsJsonLines()
    {
        QTemporaryDir dir, tokenDir;
        auto server = announcedServer(dir, u"Open"_s);
        auto guarded = announcedServer(tokenDir, u"Guarded"_s, u"s3cret"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!server->announcedName().isEmpty() && !guarded->announcedName().isEmpty(),
                                 10 * kSeconds);
        int exitCode = -1;
        QList<QJsonObject> lines;
        // The CLI runs while this process serves the room list: wait for it without blocking the event loop.
        QProcess cli;
        cli.start(QStringLiteral(INKROOM_CLI_EXE), {u"--discover"_s, u"--timeout"_s, u"3"_s});
        QTRY_VERIFY_WITH_TIMEOUT(cli.state() == QProcess::NotRunning, 15 * kSeconds);
        exitCode = cli.exitCode();
        for (const QByteArray &line : cli.readAllStandardOutput().split('\n')) {
            if (!line.trimmed().isEmpty())
                lines.append(QJsonDocument::fromJson(line).object());
        }
        QCOMPARE(exitCode, 0);
        QVERIFY(!lines.isEmpty());
        QCOMPARE(lines.first().value(u"type"_s).toString(), u"responder"_s);
        QVERIFY(lines.first().value(u"available"_s).toBool());
        QJsonObject open, guardedLine;
        for (const QJsonObject &line : lines) {
            if (line.value(u"name"_s) == u"Open"_s && line.value(u"roomsKnown"_s).toBool())
                open = line;
            if (line.value(u"name"_s) == u"Guarded"_s)
                guardedLine = line;
        }
        QVERIFY2(!open.isEmpty(), "the CLI never got Open's rooms");
        QCOMPARE(open.value(u"url"_s).toString().section(u':', -1).toInt(), int(server->port()));
        QVERIFY(open.value(u"rooms"_s).toArray().isEmpty());
        QVERIFY(guardedLine.value(u"token"_s).toBool());
        QVERIFY(guardedLine.value(u"problem"_s).toString().contains(u"token"_s));
    }

    //! Without a responder: the list says so in one plain line, the CLI exits 4, and serving works as before.
    void withoutAResponder()
    {
        QVERIFY(QProcess::execute(u"avahi-daemon"_s, {u"-k"_s}) == 0);
        QTest::qWait(300);
        client::LanDirectory directory;
        client::NetworkServersModel model(&directory);
        directory.start();
        QTRY_VERIFY_WITH_TIMEOUT(!model.unavailableReason().isEmpty(), 5 * kSeconds);
        QVERIFY(!model.available());
        QVERIFY2(model.unavailableReason().contains(u"no mDNS responder"_s), qPrintable(model.unavailableReason()));
        QVERIFY(!model.unavailableReason().contains(u'\n'));

        QTemporaryDir dir;
        auto server = announcedServer(dir, u"Alone"_s);
        QVERIFY(server->isListening());
        QTRY_VERIFY_WITH_TIMEOUT(!server->announcementProblem().isEmpty(), 5 * kSeconds);
        QVERIFY(server->announcedName().isEmpty());

        int exitCode = -1;
        const QList<QJsonObject> lines = discover(1, &exitCode);
        QCOMPARE(exitCode, 4);
        QCOMPARE(lines.size(), 1);
        QCOMPARE(lines.first().value(u"type"_s).toString(), u"responder"_s);
        QVERIFY(!lines.first().value(u"available"_s).toBool());

        // The responder comes back: the server announces itself and the list fills, with nothing restarted.
        QVERIFY(QProcess::execute(qEnvironmentVariable("INKROOM_LAN_NS_SCRIPT"), {u"start-avahi"_s}) == 0);
        QTRY_VERIFY_WITH_TIMEOUT(model.available(), 10 * kSeconds);
        QTRY_COMPARE_WITH_TIMEOUT(server->announcedName(), u"Alone"_s, 10 * kSeconds);
        QTRY_COMPARE_WITH_TIMEOUT(model.count(), 1, 10 * kSeconds);
    }
};

// A QGuiApplication: the app controller these tests drive reads the palette (View > Appearance).
QTEST_MAIN(TestLanDiscovery)
#include "tst_lan_discovery.moc"
