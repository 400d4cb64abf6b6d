#include "appcontroller.h"
#include "serverfixture.h"
#include "testutil.h"
#include "translations.h"

#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;

namespace {

//! A link to room on the fixture's plain ws:// server, as people would paste it.
QString linkTo(const test::ServerFixture &fixture, const QString &room, const QString &token = {})
{
    return ui::JoinTarget {{fixture.url()}, room, token, {}}.link();
}

QStringList savedRecentLinks()
{
    QStringList links;
    for (const QVariant &entry : QSettings().value(u"rooms/recent"_s).toList())
        links.append(entry.toMap().value(u"link"_s).toString());
    return links;
}

} // namespace

//! The app's verbs: what QML calls to join, host and leave rooms, and what it binds to meanwhile.
class TestAppController : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_hosted; //!< the hosted server's data (shared by the tests: one host at a time)

    //! A controller whose hosted server keeps to loopback and a temporary directory.
    std::unique_ptr<ui::AppController> makeController(const ui::StartupOptions &options = {})
    {
        auto controller = std::make_unique<ui::AppController>(options);
        controller->roomHost()->setDataDir(m_hosted.path());
        controller->roomHost()->setBindAddress(QHostAddress::LocalHost);
        controller->session()->setTimings(test::fastTimings());
        return controller;
    }

private Q_SLOTS:
    void initTestCase()
    {
        // The texts are checked in English, with its plural forms ("1 change waiting").
        inkroom::i18n::install(*QCoreApplication::instance(), QLocale(QLocale::English));
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"InkroomTest"_s);
        QCoreApplication::setApplicationName(u"inkroom-appcontroller"_s);
        QVERIFY(m_hosted.isValid());
    }

    void init()
    {
        QSettings().clear(); // no recent rooms or profile from an earlier test
        QFile::remove(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/known-servers.json"_s);
    }

    //! Host, leave, and host again at once, while the last server is still saying goodbye: no crash, and the room
    //! is back with its history, reachable by its link.
    void hostLeaveAndHostAgainQuickly()
    {
        const auto app = makeController();
        QSignalSpy pages(app.get(), &ui::AppController::pageChanged);
        app->host(u"  Quick room "_s);
        QVERIFY(app->hostPending());
        QCOMPARE(app->page(), ui::AppController::Start); // the server starts on its own thread: nothing waits
        QTRY_COMPARE_WITH_TIMEOUT(app->page(), ui::AppController::Room, 10000);
        QVERIFY(!app->hostPending());
        QVERIFY(app->hosting());
        QCOMPARE(app->roomName(), u"Quick room"_s);
        client::Session *session = app->session();
        QSignalSpy asked(session, &client::Session::trustRequested);
        QTRY_COMPARE_WITH_TIMEOUT(session->state(), client::Session::Online, 10000);
        QCOMPARE(asked.size(), 0); // its own server: trusted without asking
        QVERIFY(app->link().startsWith(u"inkroom://127.0.0.1:"_s));
        QVERIFY(session->sendChat(u"first"_s));
        QTRY_COMPARE(session->pendingCount(), 0);

        for (int round = 0; round < 3; ++round) {
            app->leave();
            QCOMPARE(app->leaveQuestion(), ui::AppController::Leaving);
            app->closeForEveryone();
            QCOMPARE(app->leaveQuestion(), ui::AppController::NoQuestion);
            QCOMPARE(app->page(), ui::AppController::Start);
            QVERIFY(!app->hosting());
            QVERIFY(app->link().isEmpty());
            QCOMPARE(session->state(), client::Session::Disconnected);
            QCOMPARE(app->roomHost()->status(), ui::RoomHost::Stopping);
            app->host(u"Quick room"_s); // within the old server's shutdown grace
            QVERIFY(app->hostPending());
            QTRY_COMPARE_WITH_TIMEOUT(app->page(), ui::AppController::Room, 10000);
            QTRY_COMPARE_WITH_TIMEOUT(session->state(), client::Session::Online, 10000);
            QVERIFY2(app->hostError().isEmpty(), qPrintable(app->hostError()));
        }
        QTRY_COMPARE(session->chat()->rowCount(), 1);

        // Someone else joins with the link the room page shows.
        const ui::JoinTarget target = ui::parseJoinLink(app->link());
        QVERIFY2(target.isValid(), qPrintable(target.error));
        QCOMPARE(target.room, u"Quick room"_s);
        client::Session guest;
        guest.setExpectedFingerprint(app->roomHost()->fingerprint());
        guest.join(target.server(), target.room, u"Guest"_s, QColor(Qt::red));
        QTRY_COMPARE_WITH_TIMEOUT(guest.state(), client::Session::Online, 10000);
        QTRY_COMPARE(guest.chat()->rowCount(), 1);
        QTRY_COMPARE(session->memberCount(), 2);
        guest.leave();

        // The hosted room is remembered once, however often it was opened.
        QCOMPARE(app->recentRooms()->count(), 1);
        app->leave();
        app->closeForEveryone();
        QTRY_COMPARE_WITH_TIMEOUT(app->roomHost()->status(), ui::RoomHost::Stopped, 10000);
    }

    //! A room hosted before is hosted again from its card under Recent rooms (its link was a loopback one, which
    //! nobody serves once the app stopped hosting); the room name and the profile are remembered for next time.
    void aRecentHostedRoomIsHostedAgain()
    {
        QVERIFY(!QSettings().contains(u"profile/name"_s));
        {
            const auto app = makeController();
            QVERIFY(!app->profile()->isSaved());
            app->host(u"Art club"_s);
            QTRY_COMPARE_WITH_TIMEOUT(app->session()->state(), client::Session::Online, 10000);
            QVERIFY(app->profile()->isSaved()); // opening a room with them makes the name and colour the user's
            const QString link = app->recentRooms()->links().value(0);
            QCOMPARE(app->recentRooms()->hostedRoom(link), u"Art club"_s);
            QCOMPARE(app->recentRooms()->index(0).data(ui::RecentRooms::StateTextRole).toString(),
                     u"Hosted on this computer"_s);
            QCOMPARE(app->recentRooms()->index(0).data(ui::RecentRooms::LastOpenedTextRole).toString(),
                     u"Opened today"_s);
            app->leave();
            app->closeForEveryone();
            QTRY_COMPARE_WITH_TIMEOUT(app->roomHost()->status(), ui::RoomHost::Stopped, 10000);
        }
        const auto app = makeController(); // the next start
        QVERIFY(app->profile()->isSaved());
        QCOMPARE(app->hostRoomName(), u"Art club"_s);
        const QString link = app->recentRooms()->links().value(0);
        QVERIFY(link.startsWith(u"inkroom://127.0.0.1:"_s));
        app->openRecent(link);
        QVERIFY(app->hostPending()); // hosting it, not joining a loopback address nobody serves
        QTRY_COMPARE_WITH_TIMEOUT(app->page(), ui::AppController::Room, 10000);
        QVERIFY(app->hosting());
        QCOMPARE(app->roomName(), u"Art club"_s);
        QTRY_COMPARE_WITH_TIMEOUT(app->session()->state(), client::Session::Online, 10000);
        QCOMPARE(app->recentRooms()->count(), 1);
        app->leave();
        app->closeForEveryone();
        QTRY_COMPARE_WITH_TIMEOUT(app->roomHost()->status(), ui::RoomHost::Stopped, 10000);
    }

    //! When a recent room was opened, in words: today, yesterday, days ago, then the date.
    void recentRoomsSayWhenTheyWereOpened()
    {
        ui::RecentRooms recent;
        const QDateTime now(QDate(2026, 3, 20), QTime(12, 0));
        const auto openedAt = [&](const QDateTime &when) {
            recent.setNow(when);
            recent.remember(ui::parseJoinLink(u"inkroom://192.0.2.1:7420/a"_s));
            recent.setNow(now);
            return recent.index(0).data(ui::RecentRooms::LastOpenedTextRole).toString();
        };
        QCOMPARE(openedAt(now.addSecs(-3600)), u"Opened today"_s);
        QCOMPARE(openedAt(now.addDays(-1)), u"Opened yesterday"_s);
        QCOMPARE(openedAt(now.addDays(-3)), u"Opened 3 days ago"_s);
        QVERIFY(openedAt(now.addDays(-30)).startsWith(u"Opened on "_s));
        QCOMPARE(recent.count(), 1); // the same link, moved and updated, not listed twice
        QVERIFY(recent.index(0).data(ui::RecentRooms::StateTextRole).toString().isEmpty()); // nothing known of it now
        QVERIFY(!recent.index(0).data(ui::RecentRooms::OnNetworkRole).toBool());
    }

    //! Without discovery (--no-discover, and these tests) the list says it is off, not that it is looking.
    void discoveryOffIsSaidAsSuch()
    {
        const auto app = makeController();
        QCOMPARE(app->networkServers()->discovery(), client::NetworkServersModel::Off);
        QVERIFY2(app->networkServers()->statusText().contains(u"--no-discover"_s),
                 qPrintable(app->networkServers()->statusText()));
        app->join(u"K7F-Q2M"_s);
        QVERIFY2(app->joinError().contains(u"--no-discover"_s), qPrintable(app->joinError()));
        QCOMPARE(app->profile()->colourName(ui::Profile::palette().at(1)), u"Red"_s);
        QCOMPARE(app->profile()->colourName(QColor(0x12, 0x34, 0x56)), u"#123456"_s);
    }

    //! Quitting right after leaving a hosted room: the controller goes while its server is stopping.
    void quitWhileTheHostedServerStops()
    {
        auto app = makeController();
        app->host(u"Short"_s);
        QTRY_COMPARE_WITH_TIMEOUT(app->session()->state(), client::Session::Online, 10000);
        app->leave();
        app->closeForEveryone();
        QCOMPARE(app->roomHost()->status(), ui::RoomHost::Stopping);
        app.reset();
        // And the data directory is free for the next one.
        app = makeController();
        app->host(u"Short"_s);
        QTRY_COMPARE_WITH_TIMEOUT(app->session()->state(), client::Session::Online, 10000);
    }

    void joinByLink()
    {
        test::ServerFixture fixture([](server::ServerConfig &config) { config.joinToken = u"s3cret"_s; });
        QVERIFY(fixture.start());
        const auto app = makeController();
        app->join(u"inkroom://"_s); // a failed attempt first: its error goes once a join works
        QVERIFY(!app->joinError().isEmpty());

        const QString link = linkTo(fixture, u"by link"_s, u"s3cret"_s);
        app->join(u"  "_s + link + u" "_s);
        QVERIFY(app->joinError().isEmpty());
        QCOMPARE(app->page(), ui::AppController::Room);
        QCOMPARE(app->roomName(), u"by link"_s);
        QVERIFY(!app->hosting());
        QVERIFY(app->link().isEmpty()); // only a room hosted here has a link to show
        client::Session *session = app->session();
        QCOMPARE(session->token(), u"s3cret"_s);
        QCOMPARE(session->name(), app->profile()->displayName());
        QTRY_COMPARE_WITH_TIMEOUT(session->state(), client::Session::Online, 10000);
        QCOMPARE(session->room(), u"by link"_s);

        // Remembered without the token, and joinable from the list the start page shows.
        const QString remembered = linkTo(fixture, u"by link"_s);
        QCOMPARE(app->recentRooms()->count(), 1);
        QCOMPARE(app->recentRooms()->links(), QStringList {remembered});
        QCOMPARE(savedRecentLinks(), QStringList {remembered});
        const QModelIndex first = app->recentRooms()->index(0);
        QCOMPARE(first.data(ui::RecentRooms::RoomRole).toString(), u"by link"_s);
        QCOMPARE(first.data(ui::RecentRooms::ServerRole).toString(), fixture.url().toString());
        app->leave();
        QCOMPARE(session->state(), client::Session::Disconnected);
        app->join(first.data(ui::RecentRooms::LinkRole).toString());
        QCOMPARE(app->page(), ui::AppController::Room);
        QCOMPARE(session->room(), u"by link"_s);
    }

    void joinWithABadLink_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("room");
        QTest::newRow("nothing") << QString() << QString();
        QTest::newRow("scheme only") << u"inkroom://"_s << QString();
        QTest::newRow("no room") << u"inkroom://127.0.0.1:7420/"_s << QString();
        QTest::newRow("port 0") << u"inkroom://127.0.0.1:0/design"_s << QString();
        QTest::newRow("not a link") << u"http://example.com/design"_s << QString();
        QTest::newRow("spaces") << u"inkroom://my host/design"_s << QString();
        QTest::newRow("address without a room") << u"192.168.1.20"_s << QString();
        QTest::newRow("room name with a control character") << u"192.168.1.20"_s << u"bad\u0001room"_s;
    }

    //! A link that does not name a room says why, and nothing else happens: no room, no session, nothing saved.
    void joinWithABadLink()
    {
        QFETCH(QString, input);
        QFETCH(QString, room);
        const auto app = makeController();
        QSignalSpy errors(app.get(), &ui::AppController::joinErrorChanged);
        app->join(input, room);
        QCOMPARE(errors.size(), 1);
        QVERIFY(!app->joinError().isEmpty());
        QCOMPARE(app->page(), ui::AppController::Start);
        QVERIFY(app->roomName().isEmpty());
        QCOMPARE(app->session()->state(), client::Session::Disconnected);
        QVERIFY(app->session()->room().isEmpty());
        QCOMPARE(app->recentRooms()->count(), 0);
        QVERIFY(savedRecentLinks().isEmpty());
    }

    //! Leaving while the session waits to reconnect: it stops trying, for good.
    void leaveWhileReconnecting()
    {
        test::ServerFixture fixture;
        QVERIFY(fixture.start());
        const quint16 port = fixture.port();
        const auto app = makeController();
        app->join(linkTo(fixture, u"flaky"_s));
        client::Session *session = app->session();
        QTRY_COMPARE_WITH_TIMEOUT(session->state(), client::Session::Online, 10000);
        fixture.stop();
        QTRY_COMPARE_WITH_TIMEOUT(session->state(), client::Session::Reconnecting, 10000);

        app->leave();
        QCOMPARE(app->page(), ui::AppController::Start);
        QCOMPARE(session->state(), client::Session::Disconnected);
        QVERIFY(session->room().isEmpty());
        // The server comes back; a session that still tried would reach it within a few backoff steps (<= 0.4 s).
        QVERIFY(fixture.start(port));
        QTest::qWait(1500);
        QCOMPARE(session->state(), client::Session::Disconnected);
        QCOMPARE(fixture.server()->connectionCount(), 0);
    }

    //! The room asks for a password: the banner's answer goes through submitPassword().
    void wrongPasswordThenTheRightOne()
    {
        test::ServerFixture fixture;
        QVERIFY(fixture.start());
        client::Session owner; // the first one in sets the password
        owner.join(fixture.url(), u"locked"_s, u"Owner"_s, QColor(Qt::red), u"secret"_s);
        QTRY_COMPARE_WITH_TIMEOUT(owner.state(), client::Session::Online, 10000);

        const auto app = makeController();
        app->join(linkTo(fixture, u"locked"_s), {}, u"guess"_s);
        client::Session *session = app->session();
        QTRY_COMPARE_WITH_TIMEOUT(session->state(), client::Session::Failed, 10000);
        QCOMPARE(session->failure(), client::Session::WrongPassword);
        app->submitPassword(u"secret"_s);
        QTRY_COMPARE_WITH_TIMEOUT(session->state(), client::Session::Online, 10000);
        QCOMPARE(app->page(), ui::AppController::Room);
    }

    //! --join LINK (or a link alone): the app starts in the room.
    void startupLinkOpensTheRoom()
    {
        test::ServerFixture fixture;
        QVERIFY(fixture.start());
        ui::StartupOptions options;
        options.name = u"Starter"_s;
        options.join = linkTo(fixture, u"from the command line"_s);
        const auto app = makeController(options);
        QCOMPARE(app->page(), ui::AppController::Room);
        QCOMPARE(app->roomName(), u"from the command line"_s);
        QCOMPARE(app->profile()->displayName(), u"Starter"_s);
        QTRY_COMPARE_WITH_TIMEOUT(app->session()->state(), client::Session::Online, 10000);
    }

    void hostErrorsInPlainWords()
    {
        const auto app = makeController();
        app->host(u"   "_s);
        QVERIFY(!app->hostError().isEmpty());
        QVERIFY(!app->hostPending());
        QCOMPARE(app->roomHost()->status(), ui::RoomHost::Stopped);

        // Another server holds the data directory: the host fails, and says so.
        ui::RoomHost other;
        other.setDataDir(m_hosted.path());
        other.setBindAddress(QHostAddress::LocalHost);
        other.start(0);
        QTRY_COMPARE_WITH_TIMEOUT(other.status(), ui::RoomHost::Running, 10000);
        app->host(u"Taken"_s);
        QVERIFY(app->hostError().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!app->hostPending(), 10000);
        QVERIFY2(app->hostError().startsWith(u"The server could not start: "_s), qPrintable(app->hostError()));
        QCOMPARE(app->page(), ui::AppController::Start);
        QCOMPARE(app->session()->state(), client::Session::Disconnected);
        QCOMPARE(app->recentRooms()->count(), 0);
    }

    //! Joining a room while a hosted one is still starting: the join wins and the server is stopped again.
    /** Leaving a hosted room asks; "keep serving" leaves the room to the others, still served, listed and joinable,
     *  and the start page says so; the host goes back in, or closes it for everyone, who are told who closed it.
     *  Quitting asks the same. */
    void aHostedRoomOutlivesItsHostLeaving()
    {
        ui::StartupOptions options;
        options.name = u"Ann"_s;
        const auto app = makeController(options);
        app->host(u"Design"_s);
        QTRY_COMPARE_WITH_TIMEOUT(app->session()->state(), client::Session::Online, 10000);
        QVERIFY(app->session()->sendChat(u"from the host"_s));
        QTRY_COMPARE(app->session()->pendingCount(), 0);

        const ui::JoinTarget target = ui::parseJoinLink(app->link());
        QVERIFY2(target.isValid(), qPrintable(target.error));
        client::Session guest;
        guest.setTimings(test::fastTimings());
        guest.setExpectedFingerprint(app->roomHost()->fingerprint());
        guest.join(target.server(), target.room, u"Bo"_s, QColor(Qt::red));
        QTRY_COMPARE_WITH_TIMEOUT(guest.state(), client::Session::Online, 10000);
        QTRY_COMPARE(app->hostedPeople(), 1);
        QCOMPARE(app->hostingText(), u"“Design” for 1 person"_s);

        // Leave asks, and changes nothing until answered; Cancel stays.
        QSignalSpy questions(app.get(), &ui::AppController::leaveQuestionChanged);
        app->leave();
        QCOMPARE(app->leaveQuestion(), ui::AppController::Leaving);
        QCOMPARE(app->page(), ui::AppController::Room);
        QCOMPARE(app->session()->state(), client::Session::Online);
        app->cancelLeave();
        QCOMPARE(app->leaveQuestion(), ui::AppController::NoQuestion);
        QCOMPARE(questions.size(), 2);
        QCOMPARE(app->page(), ui::AppController::Room);

        // Keep serving: the host is out of the room, the room goes on for the others.
        const QString code = app->joinCode();
        QVERIFY(!code.isEmpty());
        app->leave();
        app->keepServing();
        QCOMPARE(app->leaveQuestion(), ui::AppController::NoQuestion);
        QCOMPARE(app->page(), ui::AppController::Start);
        QVERIFY(!app->hosting());
        QCOMPARE(app->session()->state(), client::Session::Disconnected);
        QCOMPARE(app->backgroundRoom(), u"Design"_s);
        QCOMPARE(app->roomHost()->status(), ui::RoomHost::Running);
        QVERIFY(!app->windowHidden()); // leaving is not quitting: the window stays, saying it still hosts
        QCOMPARE(app->joinCode(), code); // still shown, so others can still join
        QVERIFY(app->link().endsWith(u"/Design"_s));
        QTRY_COMPARE(app->hostedPeople(), 1);
        QCOMPARE(app->hostingText(), u"“Design” for 1 person"_s);
        QVERIFY(guest.sendChat(u"still here"_s));
        QTRY_COMPARE_WITH_TIMEOUT(guest.pendingCount(), 0, 10000);
        QCOMPARE(guest.state(), client::Session::Online);
        // A newcomer joins the room its host has left.
        client::Session late;
        late.setTimings(test::fastTimings());
        late.setExpectedFingerprint(app->roomHost()->fingerprint());
        late.join(target.server(), target.room, u"Cy"_s, QColor(Qt::blue));
        QTRY_COMPARE_WITH_TIMEOUT(late.state(), client::Session::Online, 10000);
        QTRY_COMPARE(late.chat()->rowCount(), 2);
        QTRY_COMPARE(app->hostedPeople(), 2);
        QCOMPARE(app->hostingText(), u"“Design” for 2 people"_s);
        late.leave();
        QTRY_COMPARE(app->hostedPeople(), 1);

        // Quitting while it serves in the background asks too; keeping on serving quits nothing.
        QVERIFY(!app->quit());
        QCOMPARE(app->leaveQuestion(), ui::AppController::Quitting);
        app->keepServing();
        QCOMPARE(app->windowHidden(), ui::AppController::trayAvailable()); // the tray, where there is one
        app->showWindow();
        QVERIFY(!app->windowHidden());
        QCOMPARE(app->roomHost()->status(), ui::RoomHost::Running);

        // Back into the room: its host again, with what was said meanwhile.
        app->openHostedRoom();
        QCOMPARE(app->page(), ui::AppController::Room);
        QVERIFY(app->hosting());
        QVERIFY(app->backgroundRoom().isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(app->session()->state(), client::Session::Online, 10000);
        QTRY_COMPARE(app->session()->chat()->rowCount(), 2);
        QVERIFY(app->session()->isOwner());

        // Out again, then Stop hosting from the start page: everyone is told who closed it, nobody reconnects.
        app->leave();
        app->keepServing();
        QCOMPARE(app->backgroundRoom(), u"Design"_s);
        app->closeForEveryone();
        QVERIFY(app->backgroundRoom().isEmpty());
        QVERIFY(app->hostingText().isEmpty());
        QVERIFY(app->link().isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(guest.state(), client::Session::Failed, 10000);
        QCOMPARE(guest.failure(), client::Session::RoomClosed);
        QCOMPARE(guest.reason(), u"Ann closed the room."_s);
        QTRY_COMPARE_WITH_TIMEOUT(app->roomHost()->status(), ui::RoomHost::Stopped, 10000);
        QCOMPARE(app->page(), ui::AppController::Start);
    }

    //! Close for everyone straight from the room: the members are told, the host is on the start page.
    void closingAHostedRoomFromInside()
    {
        ui::StartupOptions options;
        options.name = u"Ann"_s;
        const auto app = makeController(options);
        app->host(u"Short talk"_s);
        QTRY_COMPARE_WITH_TIMEOUT(app->session()->state(), client::Session::Online, 10000);
        const ui::JoinTarget target = ui::parseJoinLink(app->link());
        client::Session guest;
        guest.setTimings(test::fastTimings());
        guest.setExpectedFingerprint(app->roomHost()->fingerprint());
        guest.join(target.server(), target.room, u"Bo"_s, QColor(Qt::red));
        QTRY_COMPARE_WITH_TIMEOUT(guest.state(), client::Session::Online, 10000);

        // Quitting from inside the room asks first, as leaving does.
        QVERIFY(!app->quit());
        QCOMPARE(app->leaveQuestion(), ui::AppController::Quitting);
        app->cancelLeave();
        app->leave();
        app->closeForEveryone();
        QCOMPARE(app->page(), ui::AppController::Start);
        QVERIFY(!app->hosting());
        QVERIFY(app->backgroundRoom().isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(guest.state(), client::Session::Failed, 10000);
        QCOMPARE(guest.failure(), client::Session::RoomClosed);
        QCOMPARE(guest.reason(), u"Ann closed the room."_s);
        QTRY_COMPARE_WITH_TIMEOUT(app->roomHost()->status(), ui::RoomHost::Stopped, 10000);
    }

    void joinWhileHostingStarts()
    {
        test::ServerFixture fixture;
        QVERIFY(fixture.start());
        const auto app = makeController();
        app->host(u"Never mind"_s);
        QVERIFY(app->hostPending());
        app->join(linkTo(fixture, u"elsewhere"_s));
        QVERIFY(!app->hostPending());
        QCOMPARE(app->roomName(), u"elsewhere"_s);
        QTRY_COMPARE_WITH_TIMEOUT(app->roomHost()->status(), ui::RoomHost::Stopped, 10000);
        QCOMPARE(app->roomName(), u"elsewhere"_s);
        QVERIFY(!app->hosting());
        QTRY_COMPARE_WITH_TIMEOUT(app->session()->state(), client::Session::Online, 10000);
    }
};

QTEST_MAIN(TestAppController)
#include "tst_ui_appcontroller.moc"
