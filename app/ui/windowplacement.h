#pragma once

#include <QList>
#include <QObject>
#include <QRect>
#include <QtQmlIntegration/qqmlintegration.h>

namespace inkroom::ui {

//! Where a window left at `saved` on some earlier day opens now, on these screens (their available areas): on the
//! screen that holds most of it (the first one if none does), no larger than that screen (less `margin` on each
//! axis), and moved inside it. An invalid `saved` (never saved) stays invalid: the window system places the window
//! then.
[[nodiscard]] QRect fitWindowToScreens(const QRect &saved, const QList<QRect> &screens, int margin = 0);

//! The available areas of this application's screens (none without a QGuiApplication).
[[nodiscard]] QList<QRect> availableScreenAreas();

/** @brief Where the main window was left and whether it was maximized, remembered in the settings.
 *
 * The window's QML reads geometry when it opens (fitted to today's screens) and writes both back as they change.
 */
class SavedWindow : public QObject
{
    Q_OBJECT
    QML_ANONYMOUS
    Q_PROPERTY(QRect geometry READ geometry WRITE setGeometry NOTIFY changed)
    Q_PROPERTY(bool maximized READ isMaximized WRITE setMaximized NOTIFY changed)

public:
    explicit SavedWindow(QObject *parent = nullptr);

    //! Where the window was left, fitted to today's screens (see fitWindowToScreens); invalid if never saved.
    [[nodiscard]] QRect geometry() const;
    //! Kept unless smaller than 200 x 150 (a window being minimised or torn down).
    void setGeometry(const QRect &geometry);
    [[nodiscard]] bool isMaximized() const { return m_maximized; }
    void setMaximized(bool maximized);

Q_SIGNALS:
    void changed();

private:
    QRect m_geometry;
    bool m_maximized = false;
};

} // namespace inkroom::ui
