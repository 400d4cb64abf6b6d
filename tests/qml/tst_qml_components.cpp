#include "appcontroller.h"

#include <QQmlEngine>
#include <QQuickStyle>
#include <QStandardPaths>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest/quicktest.h>

Q_IMPORT_QML_PLUGIN(InkroomPlugin)
Q_IMPORT_QML_PLUGIN(Inkroom_UiPlugin)
Q_IMPORT_QML_PLUGIN(Inkroom_ClientPlugin)

//! Gives every test engine the app's singleton and the app's style, as main() does.
class Setup : public QObject
{
    Q_OBJECT

public Q_SLOTS:
    void applicationAvailable()
    {
        QStandardPaths::setTestModeEnabled(true);
        QQuickStyle::setStyle(QStringLiteral("Fusion"));
    }
    void qmlEngineAvailable(QQmlEngine *engine) { inkroom::ui::AppController::attach(*engine, &m_controller); }

private:
    inkroom::ui::AppController m_controller {inkroom::ui::StartupOptions {}};
};

QUICK_TEST_MAIN_WITH_SETUP(qml_components, Setup)
#include "tst_qml_components.moc"
