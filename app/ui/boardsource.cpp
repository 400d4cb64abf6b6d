#include "boardsource.h"

using namespace Qt::StringLiterals;

namespace inkroom::ui {

QString LocalBoardSource::newItemId()
{
    return u"local:%1"_s.arg(m_nextId++);
}

void LocalBoardSource::submit(const QList<proto::Op> &ops)
{
    BoardChange change;
    for (proto::Op op : ops) {
        op.seq = m_board.seq() + 1;
        m_board.apply(op, &change);
    }
    if (!change.isEmpty())
        Q_EMIT boardChanged(change);
}

void LocalBoardSource::sendLive(const proto::Live &live)
{
    m_sentLive.append(live);
}

void LocalBoardSource::resetBoard(const Board &board)
{
    m_board = board;
    Q_EMIT boardReset();
}

void LocalBoardSource::setLiveStrokes(const QList<LiveStroke> &strokes)
{
    m_live = strokes;
    Q_EMIT liveStrokesChanged();
}

} // namespace inkroom::ui
