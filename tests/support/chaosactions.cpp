#include "chaosactions.h"

#include "boarddocument.h"
#include "faultproxy.h"
#include "session.h"

#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;

namespace inkroom::test {

void sendNumberedChat(client::Session &s, ChangesMade *made)
{
    const QString text = u"%1 says %2"_s.arg(s.name()).arg(++made->counter);
    if (s.sendChat(text))
        made->chats.append(text);
}

void makeRandomChange(client::Session &s, QRandomGenerator &rng, ChangesMade *made)
{
    using client::BoardDocument;
    const int roll = int(rng.bounded(100));
    if (roll < 35) {
        sendNumberedChat(s, made);
    } else if (roll < 55) {
        const QPointF a(rng.bounded(1000), rng.bounded(1000));
        const QString id = rng.bounded(2)
            ? s.addShape(BoardDocument::ItemKind(1 + rng.bounded(4)), Qt::red, 2, a, a + QPointF(30, 20))
            : s.addText(a, u"note %1"_s.arg(++made->counter), Qt::black, 12);
        if (!id.isEmpty())
            made->adds.append(id);
    } else if (roll < 63) {
        // A freehand stroke, drawn live: its points go out as live traffic before the stroke is added.
        s.beginStroke(BoardDocument::Stroke, Qt::blue, 3, QPointF(rng.bounded(500), rng.bounded(500)));
        for (int i = 0; i < 20; ++i)
            s.extendStroke(QPointF(i * 3, i * 2));
        QTest::qWait(int(rng.bounded(20)));
        const QString id = s.endStroke(true);
        if (!id.isEmpty())
            made->adds.append(id);
    } else if (roll < 75) {
        const QList<proto::Item> items = s.board()->orderedItems();
        if (!items.isEmpty())
            s.moveItems({items.at(rng.bounded(items.size())).id}, rng.bounded(21) - 10, rng.bounded(21) - 10);
    } else if (roll < 82) {
        const QList<proto::Item> items = s.board()->orderedItems();
        if (!items.isEmpty())
            s.removeItems({items.at(rng.bounded(items.size())).id});
    } else if (roll < 87) {
        const QList<proto::Item> items = s.board()->orderedItems();
        for (const proto::Item &item : items) {
            if (item.kind == proto::ItemKind::Text) {
                s.setItemText(item.id, u"edited %1"_s.arg(++made->counter));
                break;
            }
        }
    } else if (roll < 90) {
        s.undo();
    } else if (roll < 91) {
        s.clearBoard();
    } else {
        s.moveCursor(rng.bounded(800), rng.bounded(600));
        s.setTyping(rng.bounded(2));
    }
}

qint64 injectRandomFault(FaultProxy &proxy, QRandomGenerator &rng)
{
    switch (rng.bounded(6)) {
    case 0:
        proxy.cutAll();
        return -1;
    case 1:
        proxy.setStalled(true);
        return rng.bounded(1600);
    case 2:
        proxy.setHalfOpen(true);
        return 300 + rng.bounded(1500);
    case 3:
        proxy.setDelay(int(rng.bounded(80)));
        return rng.bounded(2000);
    case 4:
        proxy.setSplit(1 + int(rng.bounded(40)), 1);
        return rng.bounded(1000);
    default:
        proxy.setRefuse(true);
        proxy.cutAll();
        return rng.bounded(1500);
    }
}

} // namespace inkroom::test
