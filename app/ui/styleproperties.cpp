#include "styleproperties.h"

#include "canvasitem.h"
#include "protocollimits.h"

#include <cmath>

namespace inkroom::ui {

using proto::Item;
using proto::ItemKind;

namespace {

//! Which properties an item of this kind has.
struct Applies
{
    bool colour;
    bool fill;
    bool width;
    bool dash;
    bool heads;
    bool fontSize;
};

Applies appliesTo(ItemKind kind)
{
    switch (kind) {
    case ItemKind::Stroke:
        return {true, false, true, false, false, false};
    case ItemKind::Line:
    case ItemKind::Arrow:
        return {true, false, true, true, true, false};
    case ItemKind::Rect:
    case ItemKind::Ellipse:
        return {true, true, true, true, false, false};
    case ItemKind::Text:
        return {true, false, false, false, false, true};
    case ItemKind::Image:
        return {false, false, false, false, false, false};
    }
    return {};
}

//! A colour as the panel shows it: without the translucency a marker gives its strokes.
QColor shownColour(proto::Colour colour)
{
    return QColor::fromRgb(colour | 0xff000000);
}

//! The value of a property over several items: the first one's, and whether any other differs.
template<class T> struct Merged
{
    std::optional<T> value;
    bool mixed = false;
    void add(const T &next)
    {
        if (!value)
            value = next;
        else if (!(*value == next))
            mixed = true;
    }
};

} // namespace

QVariantList StyleProperties::strokeSwatches()
{
    const auto swatch = [](QRgb rgb, const QString &name) {
        return QVariantMap {{QStringLiteral("value"), QColor::fromRgb(rgb)}, {QStringLiteral("name"), name}};
    };
    return {swatch(0x1e1e1e, tr("Black")),  swatch(0x868e96, tr("Grey")),   swatch(0xe03131, tr("Red")),
            swatch(0xf08c00, tr("Orange")), swatch(0x2f9e44, tr("Green")),  swatch(0x0c8599, tr("Teal")),
            swatch(0x1971c2, tr("Blue")),   swatch(0x6741d9, tr("Violet")), swatch(0xc2255c, tr("Pink"))};
}

QVariantList StyleProperties::fillSwatches()
{
    const auto swatch = [](QRgb rgb, const QString &name) {
        return QVariantMap {{QStringLiteral("value"), QColor::fromRgb(rgb)}, {QStringLiteral("name"), name}};
    };
    return {swatch(0xe9ecef, tr("Light grey")),   swatch(0xffc9c9, tr("Light red")),
            swatch(0xffec99, tr("Light yellow")), swatch(0xb2f2bb, tr("Light green")),
            swatch(0x99e9f2, tr("Light teal")),   swatch(0xa5d8ff, tr("Light blue")),
            swatch(0xd0bfff, tr("Light violet")), swatch(0xfcc2d7, tr("Light pink"))};
}

QVariantList StyleProperties::strokeWidths()
{
    const auto choice = [](double width, const QString &name) {
        return QVariantMap {{QStringLiteral("value"), width}, {QStringLiteral("name"), name}};
    };
    return {choice(2, tr("Thin")), choice(4, tr("Medium")), choice(8, tr("Bold")), choice(16, tr("Extra bold"))};
}

QVariantList StyleProperties::fontSizes()
{
    const auto choice = [](double size, const QString &name) {
        return QVariantMap {{QStringLiteral("value"), size}, {QStringLiteral("name"), name}};
    };
    return {choice(16, tr("Small")), choice(24, tr("Medium")), choice(36, tr("Large")), choice(56, tr("Extra large"))};
}

StyleProperties::StyleProperties(QObject *parent)
    : QObject(parent)
{ }

void StyleProperties::setCanvas(CanvasItem *canvas)
{
    if (m_canvas == canvas)
        return;
    if (m_canvas)
        disconnect(m_canvas, nullptr, this, nullptr);
    disconnect(m_boardConnection);
    m_canvas = canvas;
    if (m_canvas) {
        for (auto signal : {&CanvasItem::selectionChanged, &CanvasItem::toolChanged, &CanvasItem::colourChanged,
                            &CanvasItem::strokeWidthChanged, &CanvasItem::fontSizeChanged, &CanvasItem::styleChanged})
            connect(m_canvas, signal, this, &StyleProperties::refresh);
        const auto follow = [this] {
            disconnect(m_boardConnection);
            if (m_canvas && m_canvas->session()) {
                // Somebody else may restyle a selected item meanwhile.
                m_boardConnection = connect(m_canvas->session()->board(), &client::BoardDocument::changed, this,
                                            &StyleProperties::refresh);
            }
            refresh();
        };
        connect(m_canvas, &CanvasItem::sessionChanged, this, follow);
        follow();
    }
    refresh();
    Q_EMIT canvasChanged();
}

void StyleProperties::refresh()
{
    Flags has;
    Flags mixed;
    Merged<QRgb> colour;
    Merged<QRgb> fill; // 0: none
    Merged<double> width;
    Merged<double> opacity;
    Merged<proto::Dash> dash;
    Merged<proto::Heads> heads;
    Merged<double> fontSize;
    const QStringList selected = m_canvas ? m_canvas->selectedIds() : QStringList();
    client::Session *session = m_canvas ? m_canvas->session() : nullptr;
    m_forSelection = !selected.isEmpty() && session;
    if (m_forSelection) {
        for (const QString &id : selected) {
            const Item *item = session->board()->item(id);
            if (!item)
                continue;
            const Applies applies = appliesTo(item->kind);
            has.opacity = true;
            opacity.add(item->opacity);
            if (applies.colour) {
                has.colour = true;
                colour.add(shownColour(item->colour).rgba());
            }
            if (applies.fill) {
                has.fill = true;
                fill.add(item->fill ? *item->fill : 0);
            }
            if (applies.width) {
                has.width = true;
                width.add(item->width);
            }
            if (applies.dash) {
                has.dash = true;
                dash.add(item->dash);
            }
            if (applies.heads) {
                has.heads = true;
                heads.add(proto::headsOf(item->kind, item->heads));
            }
            if (applies.fontSize) {
                has.fontSize = true;
                fontSize.add(item->width);
            }
        }
    } else if (m_canvas) {
        const CanvasItem::Tool tool = m_canvas->tool();
        const bool draws = tool != CanvasItem::Select && tool != CanvasItem::Eraser && tool != CanvasItem::Laser;
        has.colour = draws;
        has.width = draws && tool != CanvasItem::Text;
        has.opacity = draws && tool != CanvasItem::Highlighter;
        has.fill = tool == CanvasItem::Rect || tool == CanvasItem::Ellipse;
        has.dash = has.fill || tool == CanvasItem::Line || tool == CanvasItem::Arrow;
        has.heads = tool == CanvasItem::Line || tool == CanvasItem::Arrow;
        has.fontSize = tool == CanvasItem::Text;
        colour.add(m_canvas->colour().rgba());
        fill.add(m_canvas->fill().isValid() ? m_canvas->fill().rgba() : 0);
        width.add(m_canvas->strokeWidth());
        opacity.add(m_canvas->itemOpacity());
        dash.add(m_canvas->dash());
        heads.add(proto::headsOf(tool == CanvasItem::Arrow ? ItemKind::Arrow : ItemKind::Line, m_canvas->heads()));
        fontSize.add(m_canvas->fontSize());
    }
    mixed = {colour.mixed, fill.mixed, width.mixed, opacity.mixed, dash.mixed, heads.mixed, fontSize.mixed};
    m_has = has;
    m_mixed = mixed;
    m_strokeColour = colour.value ? QColor::fromRgba(*colour.value) : QColor();
    m_fill = fill.value && *fill.value ? QColor::fromRgba(*fill.value) : QColor();
    m_strokeWidth = width.value.value_or(0);
    m_opacity = opacity.value.value_or(1);
    m_dash = Dash(int(dash.value.value_or(proto::Dash::Solid)));
    m_heads = Heads(int(heads.value.value_or(proto::Heads::None)));
    m_fontSize = fontSize.value.value_or(0);
    Q_EMIT changed();
}

bool StyleProperties::editSelection(const std::function<bool(Item &)> &edit)
{
    client::Session *session = m_canvas ? m_canvas->session() : nullptr;
    if (!session || !m_forSelection)
        return false;
    QList<Item> changed;
    for (const QString &id : m_canvas->selectedIds()) {
        const Item *item = session->board()->item(id);
        if (!item)
            continue;
        Item edited = *item;
        if (edit(edited) && !(edited == *item))
            changed.append(edited);
    }
    return !changed.isEmpty() && session->updateItems(changed);
}

bool StyleProperties::setStrokeColour(const QColor &colour)
{
    if (!colour.isValid() || !m_canvas)
        return false;
    m_canvas->setColour(colour);
    return editSelection([&colour](Item &item) {
        if (!appliesTo(item.kind).colour)
            return false;
        // A marker's stroke keeps its translucency.
        const proto::Colour alpha = item.colour & 0xff000000;
        item.colour = alpha | (colour.rgba() & 0xffffff);
        return true;
    });
}

bool StyleProperties::setFill(const QColor &fill)
{
    if (!m_canvas)
        return false;
    m_canvas->setFill(fill);
    return editSelection([&fill](Item &item) {
        if (!appliesTo(item.kind).fill)
            return false;
        item.fill = fill.isValid() ? std::optional<proto::Colour>(fill.rgba()) : std::nullopt;
        return true;
    });
}

bool StyleProperties::setStrokeWidth(qreal width)
{
    if (!m_canvas || !std::isfinite(width))
        return false;
    width = std::clamp(width, limits::MinWidth, limits::MaxWidth);
    m_canvas->setStrokeWidth(width);
    return editSelection([width](Item &item) {
        if (!appliesTo(item.kind).width)
            return false;
        // A pen's stroke keeps its pressure: every point's width in proportion.
        const double scale = width / item.width;
        for (double &w : item.widths)
            w = std::clamp(w * scale, limits::MinWidth, width);
        item.width = width;
        return true;
    });
}

bool StyleProperties::setOpacity(qreal opacity)
{
    if (!m_canvas || !std::isfinite(opacity))
        return false;
    opacity = std::clamp(opacity, limits::MinOpacity, limits::MaxOpacity);
    m_canvas->setItemOpacity(opacity);
    return editSelection([opacity](Item &item) {
        item.opacity = opacity;
        return true;
    });
}

bool StyleProperties::setDash(Dash dash)
{
    if (!m_canvas || dash < Solid || dash > Dotted)
        return false;
    m_canvas->setDash(proto::Dash(dash));
    return editSelection([dash](Item &item) {
        if (!appliesTo(item.kind).dash)
            return false;
        item.dash = proto::Dash(dash);
        return true;
    });
}

bool StyleProperties::setHeads(Heads heads)
{
    if (!m_canvas || heads < NoHeads || heads > BothHeads)
        return false;
    m_canvas->setHeads(proto::Heads(heads));
    return editSelection([heads](Item &item) {
        if (!appliesTo(item.kind).heads)
            return false;
        item.heads = proto::Heads(heads);
        return true;
    });
}

bool StyleProperties::setFontSize(qreal size)
{
    if (!m_canvas || !std::isfinite(size))
        return false;
    m_canvas->setFontSize(size);
    size = m_canvas->fontSize(); // as the canvas allows it
    return editSelection([size](Item &item) {
        if (!appliesTo(item.kind).fontSize)
            return false;
        item.width = size;
        return true;
    });
}

} // namespace inkroom::ui
