#pragma once

#include <QList>
#include <QRect>

namespace inkroom::ui {

//! Where a window left at `saved` on some earlier day opens now, on these screens (their available areas): on the
//! screen that holds most of it (the first one if none does), no larger than that screen (less `margin` on each
//! axis), and moved inside it. An invalid `saved` (never saved) stays invalid: the window system places the window
//! then.
[[nodiscard]] QRect fitWindowToScreens(const QRect &saved, const QList<QRect> &screens, int margin = 0);

//! The available areas of this application's screens (none without a QGuiApplication).
[[nodiscard]] QList<QRect> availableScreenAreas();

} // namespace inkroom::ui
