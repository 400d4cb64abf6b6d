#pragma once

#include "protocol.h"

#include <optional>

namespace inkroom::client {

/** @brief How a new item is drawn: the style the tools give it, and the style of a stroke in progress.
 *
 * The same fields as proto::Item's style (colour, width, fill, opacity, dash, arrow heads); applyTo() writes the ones
 * an item of that kind carries. */
struct StrokeStyle
{
    proto::Colour colour = 0xff000000;
    double width = 2.0;
    std::optional<proto::Colour> fill {};
    double opacity = 1.0;
    proto::Dash dash = proto::Dash::Solid;
    std::optional<proto::Heads> heads {};

    //! Write the style into item, as far as its kind carries it (a fill for boxes and ellipses, heads for lines).
    void applyTo(proto::Item &item) const
    {
        item.colour = colour;
        item.width = width;
        const bool closed = item.kind == proto::ItemKind::Rect || item.kind == proto::ItemKind::Ellipse;
        item.fill = closed ? fill : std::nullopt;
        item.opacity = opacity;
        const bool outlined = item.kind != proto::ItemKind::Text && item.kind != proto::ItemKind::Image;
        item.dash = outlined ? dash : proto::Dash::Solid;
        const bool headed = item.kind == proto::ItemKind::Line || item.kind == proto::ItemKind::Arrow;
        item.heads = headed ? heads : std::nullopt;
    }

    [[nodiscard]] bool operator==(const StrokeStyle &other) const = default;
};

} // namespace inkroom::client
