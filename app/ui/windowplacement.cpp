#include "windowplacement.h"

#include <QGuiApplication>
#include <QScreen>
#include <QSettings>

#include <algorithm>

namespace inkroom::ui {

QRect fitWindowToScreens(const QRect &saved, const QList<QRect> &screens, int margin)
{
    if (!saved.isValid() || screens.isEmpty())
        return saved;
    const auto overlap = [&saved](const QRect &screen) {
        const QRect common = screen.intersected(saved);
        return qint64(common.width()) * common.height();
    };
    const QRect screen = *std::max_element(screens.cbegin(), screens.cend(),
                                           [&](const QRect &a, const QRect &b) { return overlap(a) < overlap(b); });
    const int width = std::min(saved.width(), std::max(1, screen.width() - margin));
    const int height = std::min(saved.height(), std::max(1, screen.height() - margin));
    const int x = std::clamp(saved.x(), screen.left(), screen.left() + screen.width() - width);
    const int y = std::clamp(saved.y(), screen.top(), screen.top() + screen.height() - height);
    return {x, y, width, height};
}

QList<QRect> availableScreenAreas()
{
    QList<QRect> areas;
    if (qobject_cast<QGuiApplication *>(QCoreApplication::instance())) {
        for (const QScreen *screen : QGuiApplication::screens())
            areas.append(screen->availableGeometry());
    }
    return areas;
}

SavedWindow::SavedWindow(QObject *parent)
    : QObject(parent)
{
    QSettings settings;
    m_geometry = settings.value(QStringLiteral("window/geometry")).toRect();
    m_maximized = settings.value(QStringLiteral("window/maximized"), false).toBool();
}

QRect SavedWindow::geometry() const
{
    return fitWindowToScreens(m_geometry, availableScreenAreas());
}

void SavedWindow::setGeometry(const QRect &geometry)
{
    if (geometry == m_geometry || geometry.width() < 200 || geometry.height() < 150)
        return;
    m_geometry = geometry;
    QSettings().setValue(QStringLiteral("window/geometry"), geometry);
    Q_EMIT changed();
}

void SavedWindow::setMaximized(bool maximized)
{
    if (maximized == m_maximized)
        return;
    m_maximized = maximized;
    QSettings().setValue(QStringLiteral("window/maximized"), maximized);
    Q_EMIT changed();
}

} // namespace inkroom::ui
