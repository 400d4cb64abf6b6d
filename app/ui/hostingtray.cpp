#include "hostingtray.h"

#include <QAction>
#include <QApplication>
#include <QCoreApplication>
#include <QGuiApplication>
#include <QMenu>
#include <QSystemTrayIcon>

namespace inkroom::ui {

QString hostingSummary(const QString &room, int people)
{
    // The context lupdate gives texts outside a class: the namespace. Plural forms (%n) come from the translations.
    if (people <= 0)
        return QCoreApplication::translate("inkroom::ui", "“%1” — nobody is in it now").arg(room);
    return QCoreApplication::translate("inkroom::ui", "“%1” for %n person(s)", nullptr, people).arg(room);
}

HostingTray::HostingTray(QObject *parent)
    : QObject(parent)
{ }

HostingTray::~HostingTray() = default;

bool HostingTray::available()
{
    // Tests and tools run as a QGuiApplication: no widgets, so no tray, and the window keeps the state instead.
    return qobject_cast<QApplication *>(QCoreApplication::instance()) && QSystemTrayIcon::isSystemTrayAvailable();
}

void HostingTray::show(const QString &room, int people)
{
    if (!available())
        return;
    if (!m_icon) {
        m_menu = std::make_unique<QMenu>();
        QAction *open = m_menu->addAction(tr("Open Inkroom"));
        connect(open, &QAction::triggered, this, &HostingTray::openRequested);
        QAction *stop = m_menu->addAction(tr("Stop hosting (close the room for everyone)"));
        connect(stop, &QAction::triggered, this, &HostingTray::stopRequested);
        m_icon = std::make_unique<QSystemTrayIcon>(QGuiApplication::windowIcon());
        m_icon->setContextMenu(m_menu.get());
        connect(m_icon.get(), &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
            if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
                Q_EMIT openRequested();
        });
    }
    m_icon->setToolTip(tr("Inkroom — hosting %1").arg(hostingSummary(room, people)));
    m_icon->show();
}

void HostingTray::hide()
{
    if (m_icon)
        m_icon->hide();
}

bool HostingTray::isShown() const
{
    return m_icon && m_icon->isVisible();
}

} // namespace inkroom::ui
