// Copy, paste and duplicate through the system clipboard (BoardClipboard) on a real session with no server to reach:
// what is pasted is new (fresh ids), placed a step away or where asked, one undoable step; what another program put
// under the app's type is read as a server reads a client, and refused in words when it is not board items.
#include "boardclipboard.h"
#include "protocollimits.h"
#include "session.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QMimeData>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace inkroom;
using namespace inkroom::client;
using namespace inkroom::ui;

namespace {

QStringList idsOf(const Session &session)
{
    QStringList ids;
    for (const proto::Item &item : session.board()->orderedItems())
        ids << item.id;
    return ids;
}

} // namespace

class TestBoardClipboard : public QObject
{
    Q_OBJECT

    std::unique_ptr<Session> m_session;
    std::unique_ptr<BoardClipboard> m_clipboard;

private Q_SLOTS:
    void init()
    {
        m_session = std::make_unique<Session>();
        m_session->join(QUrl(u"ws://127.0.0.1:9"_s), u"clipboard"_s, u"Tester"_s, Qt::red);
        m_clipboard = std::make_unique<BoardClipboard>();
        m_clipboard->setSession(m_session.get());
        QGuiApplication::clipboard()->clear();
    }

    void cleanup()
    {
        m_clipboard.reset();
        m_session.reset();
    }

    void copyThenPasteGivesNewItemsAStepAwayInOneUndo()
    {
        const QString a = m_session->addShape(BoardDocument::Rect, Qt::red, 2, {0, 0}, {10, 10});
        const QString t = m_session->addText({20, 20}, u"Plan <b>A</b>"_s, Qt::black, 18);
        QCOMPARE(m_clipboard->copy({t, a, u"gone"_s}), 2);
        const QMimeData *data = QGuiApplication::clipboard()->mimeData();
        QVERIFY(data->hasFormat(BoardClipboard::mimeType()));
        QCOMPARE(data->text(), u"Plan <b>A</b>"_s); // other programs get the text items' text
        QVERIFY(m_clipboard->canPaste());

        const QStringList pasted = m_clipboard->paste({}, false, Qt::black, 18);
        QCOMPARE(pasted.size(), 2);
        QVERIFY(!pasted.contains(a) && !pasted.contains(t));
        QCOMPARE(idsOf(*m_session).mid(2), pasted); // on top, in the order they were stacked
        QCOMPARE(m_session->board()->item(pasted[0])->points.first(), QPointF(24, 24));
        QCOMPARE(m_session->board()->item(pasted[1])->text, u"Plan <b>A</b>"_s);
        const QStringList again = m_clipboard->paste({}, false, Qt::black, 18);
        QCOMPARE(m_session->board()->item(again[0])->points.first(), QPointF(48, 48));
        QVERIFY(m_session->undo());
        QVERIFY(m_session->undo());
        QCOMPARE(idsOf(*m_session), (QStringList {a, t}));

        // At a point: the copies' middle lands there.
        const QStringList placed = m_clipboard->paste({500, -300}, true, Qt::black, 18);
        QRectF bounds;
        for (const QString &id : placed)
            bounds = bounds.united(m_session->board()->itemBounds(id));
        QCOMPARE(bounds.center(), QPointF(500, -300));

        // Duplicate leaves the clipboard alone.
        const QStringList copies = m_clipboard->duplicate({a});
        QCOMPARE(copies.size(), 1);
        QCOMPARE(m_session->board()->item(copies[0])->points.first(), QPointF(24, 24));
        QCOMPARE(m_clipboard->paste({}, false, Qt::black, 18).size(), 2);
    }

    void plainTextBecomesATextItem()
    {
        QGuiApplication::clipboard()->setText(u"from another program\r\nsecond line\u0007"_s);
        const QStringList ids = m_clipboard->paste({5, 6}, true, Qt::blue, 24);
        QCOMPARE(ids.size(), 1);
        const proto::Item *item = m_session->board()->item(ids[0]);
        QCOMPARE(item->kind, proto::ItemKind::Text);
        QCOMPARE(item->text, u"from another program\nsecond line"_s);
        QCOMPARE(item->points.first(), QPointF(5, 6));
        QCOMPARE(item->width, 24.0);
        // Nothing to paste: said, nothing made.
        QGuiApplication::clipboard()->clear();
        QSignalSpy notices(m_clipboard.get(), &BoardClipboard::notice);
        QVERIFY(m_clipboard->paste({}, false, Qt::black, 18).isEmpty());
        QCOMPARE(notices.size(), 1);
    }

    void whatDoesNotDecodeIsRefusedInWords_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("garbage") << QByteArray("\x01\x02not json");
        QTest::newRow("another message") << QByteArray("{\"type\":\"synced\",\"head\":3}");
        QTest::newRow("no items") << QByteArray("{\"type\":\"snapshot\",\"seq\":0,\"items\":[]}");
        QTest::newRow("a coordinate off the board") << QByteArray(
            "{\"type\":\"snapshot\",\"seq\":0,\"items\":[{\"id\":\"x:1\",\"kind\":\"stroke\",\"colour\":\"#000000\","
            "\"width\":2,\"points\":[0,0,1e12,0]}]}");
        QTest::newRow("too wide") << QByteArray(
            "{\"type\":\"snapshot\",\"seq\":0,\"items\":[{\"id\":\"x:1\",\"kind\":\"stroke\","
            "\"colour\":\"#000000\",\"width\":100000,\"points\":[0,0]}]}");
    }

    void whatDoesNotDecodeIsRefusedInWords()
    {
        QFETCH(QByteArray, bytes);
        auto *data = new QMimeData;
        data->setData(BoardClipboard::mimeType(), bytes);
        data->setText(u"fallback"_s);
        QGuiApplication::clipboard()->setMimeData(data);
        QSignalSpy notices(m_clipboard.get(), &BoardClipboard::notice);
        const int before = m_session->board()->itemCount();
        QVERIFY(m_clipboard->paste({}, false, Qt::black, 18).isEmpty());
        QCOMPARE(m_session->board()->itemCount(), before);
        QCOMPARE(notices.size(), 1);
        QVERIFY2(notices.first().first().toString().startsWith(u"What is on the clipboard cannot be pasted"_s),
                 qPrintable(notices.first().first().toString()));
    }

    void pastedItemsStayOnTheBoard()
    {
        // Moved far, a copy is clamped to the board's bounds rather than refused or lost.
        proto::Item item;
        item.id = u"x:1"_s;
        item.points = {{limits::MaxCoordinate - 5, 0}, {limits::MaxCoordinate - 1, 2}};
        const QList<proto::Item> moved = BoardClipboard::translated({item}, {24, 24});
        QCOMPARE(moved.first().points.last(), QPointF(limits::MaxCoordinate, 26));
    }
};

QTEST_MAIN(TestBoardClipboard)
#include "tst_ui_boardclipboard.moc"
