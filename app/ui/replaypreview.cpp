#include "replaypreview.h"

#include "boardexport.h"
#include "itempainter.h"

#include <QFontMetrics>
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
    paintChange(painter, items, scale);
}

void ReplayPreview::paintChange(QPainter *painter, const QList<proto::Item> &items, double scale) const
{
    // Who drew what: the items the op at the position added, changed or moved, outlined, with its author's name.
    const int position = m_replay->position();
    if (position <= 0)
        return;
    const proto::Op &op = m_replay->op(position);
    QStringList touched;
    if (op.kind == proto::OpKind::Add || op.kind == proto::OpKind::Update)
        touched << op.item.id;
    else if (op.kind == proto::OpKind::Move || op.kind == proto::OpKind::Restack)
        touched = op.ids;
    QRectF bounds;
    for (const proto::Item &item : items) {
        if (touched.contains(item.id))
            bounds = bounds.united(render::paintBounds(item));
    }
    if (bounds.isEmpty())
        return;
    const double pixel = 1.0 / scale; // one device-independent pixel in board units
    bounds.adjust(-4 * pixel, -4 * pixel, 4 * pixel, 4 * pixel);
    const QColor accent(0x1a, 0x73, 0xe8);
    painter->setBrush(Qt::NoBrush);
    painter->setPen(QPen(accent, 2 * pixel, Qt::DashLine));
    painter->drawRoundedRect(bounds, 3 * pixel, 3 * pixel);
    if (op.author.isEmpty())
        return;
    QFont font;
    font.setPixelSize(12);
    painter->save();
    painter->translate(bounds.topLeft());
    painter->scale(pixel, pixel);
    const QFontMetrics metrics(font);
    const QRect label = metrics.boundingRect(op.author).adjusted(-4, -2, 4, 2);
    painter->translate(0, -label.height() - 2);
    painter->setPen(Qt::NoPen);
    painter->setBrush(accent);
    painter->drawRoundedRect(QRect(QPoint(0, 0), label.size()), 3, 3);
    painter->setFont(font);
    painter->setPen(Qt::white);
    painter->drawText(QRect(QPoint(0, 0), label.size()), Qt::AlignCenter, op.author);
    painter->restore();
}

} // namespace inkroom::ui
