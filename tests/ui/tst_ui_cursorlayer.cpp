#include "appcontroller.h"
#include "canvasitem.h"
#include "peoplemodel.h"

#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QTest>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(InkroomPlugin)
Q_IMPORT_QML_PLUGIN(Inkroom_UiPlugin)
Q_IMPORT_QML_PLUGIN(Inkroom_ClientPlugin)

using namespace Qt::StringLiterals;
using namespace inkroom;

//! Other people's pointers sit where they point on the board, whatever the pan and zoom.
class TestCursorLayer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pointersFollowTheBoard()
    {
        QQmlEngine engine;
        ui::AppController controller {ui::StartupOptions {}};
        ui::AppController::attach(engine, &controller);
        ui::CanvasItem canvas;
        canvas.setSize(QSizeF(400, 300));
        client::PeopleModel people;
        const proto::Member me {u"client-me-0001"_s, u"Me"_s, 0xff000000, false};
        const proto::Member bo {u"client-bo-0001"_s, u"Bo"_s, 0xff1e88e5, false};
        people.setMembers({me, bo}, me.client);
        people.setCursor(bo.client, QPointF(10, 20), true);

        QQmlComponent component(&engine, QUrl(u"qrc:/qt/qml/Inkroom/CursorLayer.qml"_s));
        std::unique_ptr<QObject> object(component.createWithInitialProperties(
            {{u"canvas"_s, QVariant::fromValue(&canvas)}, {u"people"_s, QVariant::fromValue(&people)}}));
        QVERIFY2(object, qPrintable(component.errorString()));
        auto *layer = qobject_cast<QQuickItem *>(object.get());
        QVERIFY(layer);
        const auto pointerOf = [layer]() -> QQuickItem * {
            for (QQuickItem *child : layer->childItems()) {
                // The delegates (they have the model's roles), not the Repeater beside them.
                if (child->property("cursorVisible").isValid() && child->isVisible())
                    return child;
            }
            return nullptr;
        };
        QTRY_VERIFY(pointerOf()); // only Bo's: our own pointer is not drawn
        const QPointF screen = canvas.mapFromBoard(QPointF(10, 20));
        QTRY_COMPARE(QPointF(pointerOf()->x(), pointerOf()->y()), screen);

        people.setCursor(bo.client, QPointF(-40, 75), true);
        QTRY_COMPARE(QPointF(pointerOf()->x(), pointerOf()->y()), canvas.mapFromBoard(QPointF(-40, 75)));
        canvas.zoomAt(2, QPointF(100, 100));
        QTRY_COMPARE(QPointF(pointerOf()->x(), pointerOf()->y()), canvas.mapFromBoard(QPointF(-40, 75)));
        people.setCursor(bo.client, QPointF(0, 0), false);
        QTRY_VERIFY(!pointerOf());
    }
};

QTEST_MAIN(TestCursorLayer)
#include "tst_ui_cursorlayer.moc"
