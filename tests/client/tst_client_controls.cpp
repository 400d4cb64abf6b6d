// Roles, host controls and direct messages as a user meets them: real sessions and inkroom-cli against the real
// server in-process (docs/PROTOCOL.md, "Roles and host controls"). What the room refuses is dropped from the outbox
// and shown with why; nothing of it stays on the board.
#include "cliprocess.h"
#include "journal.h"
#include "peoplemodel.h"
#include "refusalsmodel.h"
#include "session.h"
#include "sessionroom.h"
#include "testutil.h"

#include <QDir>
#include <QFile>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::client;
using namespace inkroom::test;

namespace {

constexpr int kWait = 10000;
const QString kRoom = u"classroom"_s;

bool online(Session *s)
{
    return s->state() == Session::Online && s->pendingCount() == 0;
}

//! The role the session's people list shows for clientId.
QString shownRole(const Session &session, const QString &clientId)
{
    const PeopleModel *people = session.people();
    for (int row = 0; row < people->rowCount(); ++row) {
        const QModelIndex index = people->index(row);
        if (people->data(index, PeopleModel::ClientIdRole).toString() == clientId)
            return people->data(index, PeopleModel::RoleRole).toString();
    }
    return {};
}

QStringList chatTexts(const Session &session)
{
    QStringList texts;
    for (const ChatMessage &m : session.chat()->messages())
        texts << (m.peer.isEmpty() ? m.text : u"(to/from %1) %2"_s.arg(m.peerName, m.text));
    return texts;
}

} // namespace

class TestClientControls : public QObject
{
    Q_OBJECT

    std::unique_ptr<SessionRoom> m_room;

    //! A session in the room, online; through the proxy when asked.
    Session *join(const QString &name, bool viaProxy = false) { return m_room->join(name, viaProxy); }

private Q_SLOTS:
    void init()
    {
        m_room = std::make_unique<SessionRoom>(kRoom);
        QVERIFY(m_room->start());
    }

    void cleanup() { m_room.reset(); }

    void aViewersChangeIsRefusedDroppedAndShown()
    {
        Session *ann = join(u"Ann"_s);
        QVERIFY(ann);
        QVERIFY(ann->isOwner());
        QCOMPARE(ann->role(), u"owner"_s);
        Session *bo = join(u"Bo"_s, true);
        QVERIFY(bo);
        QCOMPARE(bo->role(), u"editor"_s);
        QVERIFY(!bo->viewOnly());
        QVERIFY(!bo->isOwner());
        QTRY_COMPARE_WITH_TIMEOUT(shownRole(*ann, bo->clientId()), u"editor"_s, kWait);

        // Bo draws while his link to the server holds his changes back; meanwhile Ann makes him a viewer.
        m_room->proxy()->setStalled(true, FaultProxy::ToServer);
        const QString shape = bo->addShape(BoardDocument::Rect, Qt::red, 2, {0, 0}, {10, 10});
        QVERIFY(!shape.isEmpty());
        QVERIFY(bo->board()->contains(shape));
        QVERIFY(ann->setMemberRole(bo->clientId(), u"viewer"_s));
        QTRY_VERIFY_WITH_TIMEOUT(online(ann), kWait);
        QTRY_VERIFY_WITH_TIMEOUT(bo->viewOnly(), kWait);
        QVERIFY(bo->viewOnlyReason().contains(u"viewer"_s));
        QCOMPARE(shownRole(*ann, bo->clientId()), u"viewer"_s);
        QCOMPARE(shownRole(*bo, bo->clientId()), u"viewer"_s);

        // The server refuses his change for good: it leaves the outbox and the board, and he is told why.
        QSignalSpy rejected(bo, &Session::changeRejected);
        m_room->proxy()->setStalled(false, FaultProxy::ToServer);
        QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), 1, kWait);
        QCOMPARE(rejected.first().at(2).toString(), u"view_only"_s);
        QTRY_COMPARE_WITH_TIMEOUT(bo->pendingCount(), 0, kWait);
        QVERIFY(!bo->board()->contains(shape));
        QCOMPARE(bo->refusals()->rowCount(), 1);
        QVERIFY(bo->refusals()->latest().contains(u"viewer"_s));
        QVERIFY(!ann->board()->contains(shape));

        // The app does not even make a viewer's changes; a viewer still chats.
        QSignalSpy problems(bo, &Session::problem);
        QVERIFY(bo->addShape(BoardDocument::Rect, Qt::red, 2, {0, 0}, {10, 10}).isEmpty());
        QCOMPARE(problems.size(), 1);
        QVERIFY(bo->sendChat(u"may I?"_s));
        QTRY_VERIFY_WITH_TIMEOUT(online(bo), kWait);
        QCOMPARE(bo->pendingCount(), 0);
        QVERIFY(!bo->clearBoard()); // not an owner
    }

    //! A restyle (the properties panel's one change to several items) that the room refuses is taken back whole: the
    //! items show their old style again, the refusal says why, and the others never saw it. Allowed, it reaches them.
    void aRefusedRestyleIsTakenBackWhole()
    {
        Session *ann = join(u"Ann"_s);
        QVERIFY(ann);
        Session *bo = join(u"Bo"_s, true);
        QVERIFY(bo);
        const QString box = bo->addShape(BoardDocument::Rect, Qt::black, 2, {0, 0}, {40, 30});
        const QString line = bo->addShape(BoardDocument::Line, Qt::black, 2, {0, 50}, {40, 80});
        QTRY_VERIFY_WITH_TIMEOUT(online(bo), kWait);
        QTRY_VERIFY_WITH_TIMEOUT(ann->board()->contains(box) && ann->board()->contains(line), kWait);
        const proto::Item boxBefore = *bo->board()->item(box);
        const proto::Item lineBefore = *bo->board()->item(line);

        const auto restyled = [&] {
            proto::Item b = *bo->board()->item(box);
            b.fill = 0xffffec99;
            b.dash = proto::Dash::Dashed;
            proto::Item l = *bo->board()->item(line);
            l.heads = proto::Heads::Both;
            l.opacity = 0.5;
            return QList<proto::Item> {b, l};
        };

        // Bo restyles both while his link holds his changes back; meanwhile Ann locks the board.
        m_room->proxy()->setStalled(true, FaultProxy::ToServer);
        QVERIFY(bo->updateItems(restyled()));
        QCOMPARE(bo->board()->item(box)->dash, proto::Dash::Dashed);
        QCOMPARE(bo->pendingCount(), 2);
        QVERIFY(ann->setLocked(true));
        QTRY_VERIFY_WITH_TIMEOUT(online(ann), kWait);
        QTRY_VERIFY_WITH_TIMEOUT(bo->viewOnly(), kWait);
        QSignalSpy rejected(bo, &Session::changeRejected);
        m_room->proxy()->setStalled(false, FaultProxy::ToServer);
        QTRY_COMPARE_WITH_TIMEOUT(rejected.size(), 2, kWait);
        QCOMPARE(rejected.first().at(2).toString(), u"view_only"_s);
        QTRY_COMPARE_WITH_TIMEOUT(bo->pendingCount(), 0, kWait);
        QVERIFY(*bo->board()->item(box) == boxBefore);
        QVERIFY(*bo->board()->item(line) == lineBefore);
        QVERIFY(bo->refusals()->rowCount() >= 1);
        QVERIFY(*ann->board()->item(box) == boxBefore);

        // Unlocked, the same restyle reaches Ann as one change of both items, and undo takes both back.
        QVERIFY(ann->setLocked(false));
        QTRY_VERIFY_WITH_TIMEOUT(!bo->viewOnly(), kWait);
        QVERIFY(bo->updateItems(restyled()));
        QTRY_VERIFY_WITH_TIMEOUT(ann->board()->item(line)->heads == std::optional<proto::Heads>(proto::Heads::Both),
                                 kWait);
        QCOMPARE(ann->board()->item(box)->fill, std::optional<proto::Colour>(0xffffec99));
        QCOMPARE(ann->board()->item(line)->opacity, 0.5);
        QVERIFY(bo->undo());
        QTRY_VERIFY_WITH_TIMEOUT(*ann->board()->item(box) == boxBefore && *ann->board()->item(line) == lineBefore,
                                 kWait);
    }

    //! A restyle and a restack made while the link holds them back, then a crash: the journal as it was at its last
    //! sync is all the next run has (a power cut, harsher than SIGKILL), and it delivers both, each exactly once.
    void aRestyleAndARestackSurviveACrash()
    {
        Session *ann = join(u"Ann"_s);
        QVERIFY(ann);
        const QString state = m_room->stateDir();
        QTemporaryDir syncPoints;
        qputenv("INKROOM_JOURNAL_FAULTS", "snapshot=" + syncPoints.path().toUtf8());
        Session *bo = m_room->add(u"Bo"_s, {}, state);
        QTRY_VERIFY_WITH_TIMEOUT(online(bo), kWait);
        qunsetenv("INKROOM_JOURNAL_FAULTS");
        const QString box = bo->addShape(BoardDocument::Rect, Qt::black, 2, {0, 0}, {40, 30});
        const QString line = bo->addShape(BoardDocument::Line, Qt::black, 2, {0, 50}, {40, 80});
        QTRY_VERIFY_WITH_TIMEOUT(online(bo), kWait);
        QTRY_VERIFY_WITH_TIMEOUT(ann->board()->contains(box) && ann->board()->contains(line), kWait);

        m_room->proxy()->setStalled(true, FaultProxy::ToServer);
        QSignalSpy saved(bo, &Session::outboxSaved);
        QSignalSpy queued(bo, &Session::changeQueued);
        proto::Item dashed = *bo->board()->item(box);
        dashed.dash = proto::Dash::Dashed;
        dashed.fill = 0xffffec99;
        proto::Item faint = *bo->board()->item(line);
        faint.opacity = 0.5;
        QVERIFY(bo->updateItems({dashed, faint}));
        QVERIFY(bo->restackItems({box}, true));
        const int made = bo->pendingCount();
        QVERIFY(made >= 3);
        QTRY_VERIFY_WITH_TIMEOUT(
            !saved.isEmpty() && saved.last().at(0).toULongLong() >= queued.last().at(0).value<proto::Op>().cseq, kWait);
        const QString identity = bo->clientId();

        // The crash: the process is gone, and its journal is what the disk held at the last sync.
        m_room->removeLast();
        const QDir dir(state);
        for (const QString &file : dir.entryList({u"*.sqlite*"_s}, QDir::Files))
            QVERIFY(QFile::remove(dir.filePath(file)));
        const QDir copy(JournalFaults::latestSnapshot(syncPoints.path()));
        QVERIFY(copy.exists());
        for (const QString &file : copy.entryList({u"*.sqlite*"_s}, QDir::Files))
            QVERIFY(QFile::copy(copy.filePath(file), dir.filePath(file)));

        QList<proto::Op> reached;
        const QMetaObject::Connection watching =
            connect(ann, &Session::opApplied, this, [&](const proto::Op &op, bool) {
                if (op.client == identity)
                    reached.append(op);
            });
        const auto stopWatching = qScopeGuard([&] { disconnect(watching); });
        m_room->proxy()->setStalled(false, FaultProxy::ToServer);
        Session *again = m_room->add(u"Bo"_s, {}, state);
        QTRY_VERIFY_WITH_TIMEOUT(online(again), kWait);
        QCOMPARE(again->clientId(), identity);
        QTRY_COMPARE_WITH_TIMEOUT(int(reached.size()), made, kWait);
        QTest::qWait(200); // a duplicate would follow its original at once
        QCOMPARE(int(reached.size()), made);
        QSet<quint64> cseqs;
        for (const proto::Op &op : std::as_const(reached))
            cseqs.insert(op.cseq);
        QCOMPARE(int(cseqs.size()), made);
        QCOMPARE(ann->board()->item(box)->dash, proto::Dash::Dashed);
        QCOMPARE(ann->board()->item(box)->fill, std::optional<proto::Colour>(0xffffec99));
        QCOMPARE(ann->board()->item(line)->opacity, 0.5);
        QCOMPARE(ann->board()->orderedItems().last().id, box);
        QVERIFY(*again->board()->item(box) == *ann->board()->item(box));
    }

    void lockAndReadOnlyGuests()
    {
        Session *ann = join(u"Ann"_s);
        QVERIFY(ann);
        Session *bo = join(u"Bo"_s);
        QVERIFY(bo);
        QVERIFY(ann->setLocked(true));
        QTRY_VERIFY_WITH_TIMEOUT(bo->locked(), kWait);
        QVERIFY(bo->viewOnly());
        QVERIFY(bo->viewOnlyReason().contains(u"locked"_s));
        QVERIFY(!ann->viewOnly());
        QVERIFY(!ann->addShape(BoardDocument::Rect, Qt::red, 2, {0, 0}, {10, 10}).isEmpty());
        QVERIFY(!bo->setLocked(false)); // only owners
        QVERIFY(ann->setLocked(false));
        QTRY_VERIFY_WITH_TIMEOUT(!bo->viewOnly(), kWait);

        QVERIFY(ann->setGuestsReadOnly(true));
        QTRY_VERIFY_WITH_TIMEOUT(bo->viewOnly(), kWait);
        QVERIFY(bo->guestsReadOnly());
        Session *cy = join(u"Cy"_s);
        QVERIFY(cy);
        QVERIFY(cy->viewOnly());
        QVERIFY(ann->setMemberRole(cy->clientId(), u"editor"_s));
        QTRY_VERIFY_WITH_TIMEOUT(!cy->viewOnly(), kWait);
        QVERIFY(bo->viewOnly());
        QVERIFY(!cy->addShape(BoardDocument::Ellipse, Qt::blue, 2, {0, 0}, {5, 5}).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(online(cy), kWait);
        QCOMPARE(cy->refusals()->rowCount(), 0);
    }

    void directMessagesAreAConversationOfTwo()
    {
        Session *ann = join(u"Ann"_s);
        Session *bo = join(u"Bo"_s);
        Session *cy = join(u"Cy"_s);
        QVERIFY(ann && bo && cy);
        QCOMPARE(ann->memberIdByName(u"bo"_s), bo->clientId());
        QVERIFY(ann->sendDirect(bo->clientId(), u"see me after class"_s));
        // Pending at once, like room chat, and marked as a conversation with Bo.
        QCOMPARE(ann->chat()->messages().constLast().pending, true);
        QCOMPARE(ann->chat()->messages().constLast().peerName, u"Bo"_s);
        QVERIFY(bo->sendChat(u"hello all"_s));
        QTRY_VERIFY_WITH_TIMEOUT(online(ann) && online(bo), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(chatTexts(*bo).size(), 2, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(chatTexts(*cy).size(), 1, kWait);
        QCOMPARE(chatTexts(*bo).first(), u"(to/from Ann) see me after class"_s);
        QCOMPARE(chatTexts(*ann).first(), u"(to/from Bo) see me after class"_s);
        QCOMPARE(chatTexts(*cy), QStringList {u"hello all"_s});
        const QModelIndex row = bo->chat()->index(0);
        QCOMPARE(bo->chat()->data(row, ChatModel::DirectRole).toBool(), true);
        QCOMPARE(bo->chat()->data(row, ChatModel::PeerIdRole).toString(), ann->clientId());
        // Nobody else learns of it later either: a late joiner's history has only the room chat.
        Session *late = join(u"Di"_s);
        QVERIFY(late);
        QTRY_COMPARE_WITH_TIMEOUT(chatTexts(*late), QStringList {u"hello all"_s}, kWait);
    }

    void removedAndBanned()
    {
        Session *ann = join(u"Ann"_s);
        Session *bo = join(u"Bo"_s);
        QVERIFY(ann && bo);
        QVERIFY(ann->removeMember(bo->clientId()));
        QTRY_COMPARE_WITH_TIMEOUT(bo->state(), Session::Failed, kWait);
        QCOMPARE(bo->failure(), Session::Removed);
        QVERIFY(!bo->reason().isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(ann->memberCount(), 1, kWait);
        // Removed is not banned: he may come back when he chooses to.
        bo->retryNow();
        QTRY_COMPARE_WITH_TIMEOUT(bo->state(), Session::Online, kWait);
        QVERIFY(ann->removeMember(bo->clientId(), true));
        QTRY_COMPARE_WITH_TIMEOUT(bo->failure(), Session::Banned, kWait);
        bo->retryNow();
        QTRY_COMPARE_WITH_TIMEOUT(bo->state(), Session::Failed, kWait);
        QCOMPARE(bo->failure(), Session::Banned);
    }

    void rollbackUndoesOnesScribbles()
    {
        Session *ann = join(u"Ann"_s);
        Session *bo = join(u"Bo"_s);
        Session *cy = join(u"Cy"_s);
        QVERIFY(ann && bo && cy);
        const QString kept = ann->addShape(BoardDocument::Rect, Qt::black, 2, {0, 0}, {100, 100});
        QTRY_VERIFY_WITH_TIMEOUT(online(ann) && bo->board()->contains(kept), kWait);
        for (int i = 0; i < 3; ++i)
            QVERIFY(!bo->addShape(BoardDocument::Line, Qt::red, 5, {0, double(i)}, {100, double(i)}).isEmpty());
        QVERIFY(bo->moveItems({kept}, 300, 0));
        QTRY_VERIFY_WITH_TIMEOUT(online(bo), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(ann->board()->itemCount(), 4, kWait);

        QVERIFY(ann->rollbackMember(bo->clientId(), 4));
        QTRY_VERIFY_WITH_TIMEOUT(online(ann), kWait);
        for (Session *s : {ann, bo, cy}) {
            QTRY_COMPARE_WITH_TIMEOUT(s->board()->itemCount(), 1, kWait);
            QCOMPARE(s->board()->item(kept)->points.first(), QPointF(0, 0));
            QCOMPARE(s->board()->confirmed().digest(), ann->board()->confirmed().digest());
        }
        // The rollback is not in Ann's undo: her undo takes back her own rectangle, and Bo's lines stay gone.
        QVERIFY(ann->undo());
        QTRY_VERIFY_WITH_TIMEOUT(online(ann), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(cy->board()->itemCount(), 0, kWait);
        QCOMPARE(ann->board()->itemCount(), 0);
    }

    void aRollbackThatUndidFewerSaysSo()
    {
        // A snapshot every 5 ops: Bo's first strokes are soon before the room's latest one, out of a rollback's reach.
        ServerFixture small([](server::ServerConfig &config) { config.compactEvery = 5; });
        QVERIFY(small.start());
        const auto joinSmall = [&small](const QString &name) {
            auto session = std::make_unique<Session>();
            session->setTimings(fastTimings());
            session->join(small.url(), kRoom, name, QColor(u"#1e88e5"_s));
            return session;
        };
        auto ann = joinSmall(u"Ann"_s);
        QTRY_VERIFY_WITH_TIMEOUT(ann->state() == Session::Online, kWait);
        auto bo = joinSmall(u"Bo"_s);
        QTRY_VERIFY_WITH_TIMEOUT(bo->state() == Session::Online, kWait);
        for (int i = 0; i < 3; ++i)
            QVERIFY(!bo->addShape(BoardDocument::Rect, Qt::red, 2, {10.0 * i, 0}, {10.0 * i + 5, 5}).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(online(bo.get()), kWait);
        for (int i = 0; i < 5; ++i)
            QVERIFY(ann->sendChat(u"slide %1"_s.arg(i)));
        QTRY_VERIFY_WITH_TIMEOUT(online(ann.get()), kWait);
        QVERIFY(!bo->addShape(BoardDocument::Ellipse, Qt::blue, 2, {0, 50}, {20, 70}).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(online(bo.get()), kWait);
        QTRY_COMPARE_WITH_TIMEOUT(ann->board()->itemCount(), 4, kWait);

        QSignalSpy problems(ann.get(), &Session::problem);
        QVERIFY(ann->rollbackMember(bo->clientId(), 10));
        QTRY_COMPARE_WITH_TIMEOUT(problems.size(), 1, kWait);
        QCOMPARE(problems.first().first().toString(),
                 u"Undid 1 of Bo's last 10 changes; the older ones are before the room's last snapshot and can no "
                 "longer be undone."_s);
        QTRY_COMPARE_WITH_TIMEOUT(ann->board()->itemCount(), 3, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(bo->board()->itemCount(), 3, kWait);
    }

    void theCommandLineDrivesEveryControl()
    {
        QTemporaryDir state;
        const auto cli = [this, &state](const QString &name) {
            return std::make_unique<CliProcess>(QStringLiteral(INKROOM_CLI_EXE),
                                                QStringList {u"--server"_s, m_room->server()->url().toString(),
                                                             u"--room"_s, kRoom, u"--name"_s, name, u"--state-dir"_s,
                                                             state.path()});
        };
        auto teacher = cli(u"Teacher"_s);
        QVERIFY(teacher->waitForEvent(u"synced"_s));
        auto pupil = cli(u"Pupil"_s);
        QVERIFY(pupil->waitForEvent(u"synced"_s));
        QVERIFY(teacher->waitFor([](const QJsonObject &e) { return e.value("type"_L1) == "presence"_L1; }));

        teacher->write(QStringList {u"/guests viewer"_s, u"/role Pupil editor"_s, u"/lock"_s, u"/unlock"_s,
                                    u"/dm Pupil see me after class"_s, u"/rollback Pupil 1"_s,
                                    u"/role Nobody owner"_s});
        const auto opOf = [](const QString &kind) {
            return [kind](const QJsonObject &e) { return e.value("type"_L1) == "op"_L1 && e.value("kind"_L1) == kind; };
        };
        // The pupil sees every control in the room's order, and the direct message.
        for (const QString &kind : {u"default_role"_s, u"role"_s, u"lock"_s, u"unlock"_s, u"rollback"_s})
            QVERIFY2(pupil->waitFor(opOf(kind)), qPrintable(kind));
        QVERIFY(pupil->waitFor([](const QJsonObject &e) {
            return e.value("type"_L1) == "chat"_L1 && e.value("text"_L1) == "see me after class"_L1
                && !e.value("to"_L1).toString().isEmpty();
        }));
        // A command that names nobody is refused by the client itself.
        QVERIFY(QTest::qWaitFor([&teacher] { return teacher->errors().contains(u"Nobody"_s); }, kWait));

        // The pupil is not an owner: his controls are refused and he exits 3 in the end.
        pupil->write(QStringList {u"/lock"_s, u"/kick Teacher"_s});
        pupil->closeInput();
        QVERIFY(pupil->waitForExit());
        QCOMPARE(pupil->exitCode(), 3);

        // /kick ends the pupil's next run: failed, removed.
        auto again = cli(u"Pupil"_s);
        QVERIFY(again->waitForEvent(u"synced"_s));
        teacher->write(u"/kick Pupil"_s);
        QVERIFY(again->waitForExit());
        QCOMPARE(again->exitCode(), 1);
        QVERIFY(again->errors().contains(u"removed"_s, Qt::CaseInsensitive));
        teacher->closeInput();
        QVERIFY(teacher->waitForExit());
        QCOMPARE(teacher->exitCode(), 3); // the line naming nobody
    }
};

QTEST_GUILESS_MAIN(TestClientControls)
#include "tst_client_controls.moc"
