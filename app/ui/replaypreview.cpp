#include "replaypreview.h"

#include "boardexport.h"
#include "itempainter.h"

#include <QPainter>

namespace inkroom::ui {

ReplayPreview::ReplayPreview(QQuickItem *parent)
    : QQuickPaintedItem(parent)
{
    setAntialiasing(true);
    setFillColor(Qt::white);
}

void ReplayPreview::setReplay(client::ReplayModel *replay)
{
    if (m_replay == replay)
        return;
    if (m_replay)
        disconnect(m_replay, nullptr, this, nullptr);
    m_replay = replay;
    m_endCount = -1;
    if (m_replay) {
        connect(m_replay, &client::ReplayModel::positionChanged, this, [this] { update(); });
        connect(m_replay, &client::ReplayModel::countChanged, this, [this] { update(); });
    }
    update();
    Q_EMIT replayChanged();
}

void ReplayPreview::paint(QPainter *painter)
{
    if (!m_replay || width() <= 0 || height() <= 0)
        return;
    const QList<proto::Item> items = m_replay->items();
    if (m_endCount != m_replay->count()) {
        m_endCount = m_replay->count();
        m_endArea = render::exporting::exportArea(m_replay->itemsAt(m_endCount), 24);
    }
    const QRectF area = render::exporting::exportArea(items, 24).united(m_endArea);
    const double scale = std::min({width() / area.width(), height() / area.height(), 4.0});
    painter->setRenderHint(QPainter::Antialiasing);
    painter->translate((width() - area.width() * scale) / 2, (height() - area.height() * scale) / 2);
    painter->scale(scale, scale);
    painter->translate(-area.topLeft());
    render::paintItems(*painter, items);
}

} // namespace inkroom::ui
