pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Inkroom.Client

// What the user must not miss about their own work: changes the room refused for good (until dismissed), and a
// journal that cannot keep unsent changes on this computer. Hidden when there is neither.
Rectangle {
    id: bar
    objectName: "noticeBar"

    required property Session session

    readonly property int refusalCount: session.refusals.count
    readonly property bool journalTrouble: session.journalProblem.length > 0

    visible: refusalCount > 0 || journalTrouble
    implicitHeight: visible ? column.implicitHeight + 12 : 0
    color: "#fdecea"
    border.color: "#e57373"
    Accessible.role: Accessible.AlertMessage
    Accessible.name: journalTrouble ? session.journalProblem : session.refusals.latest

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: 6
        anchors.leftMargin: 12
        spacing: 4

        Label {
            objectName: "journalProblem"
            visible: bar.journalTrouble
            Layout.fillWidth: true
            text: bar.session.journalProblem
            textFormat: Text.PlainText
            wrapMode: Text.WordWrap
            color: "#202124"
        }

        Repeater {
            // The newest three; the count says how many more there are.
            model: bar.session.refusals
            delegate: RowLayout {
                id: row
                required property int index
                required property string what
                required property string why
                visible: index >= bar.refusalCount - 3
                Layout.fillWidth: true
                spacing: 8
                Label {
                    objectName: "refusal"
                    Layout.fillWidth: true
                    text: qsTr("%1 was refused: %2").arg(row.what).arg(row.why)
                    textFormat: Text.PlainText
                    wrapMode: Text.WordWrap
                    color: "#202124"
                }
                ToolButton {
                    text: qsTr("Dismiss")
                    palette.buttonText: "#202124" // the bar is light in dark themes too
                    onClicked: bar.session.refusals.dismiss(row.index)
                    Accessible.name: qsTr("Dismiss: %1").arg(row.what)
                }
            }
        }

        RowLayout {
            visible: bar.refusalCount > 1
            Layout.fillWidth: true
            Label {
                Layout.fillWidth: true
                text: bar.refusalCount > 3 ? qsTr("%n change(s) were refused in all.", "", bar.refusalCount) : ""
                textFormat: Text.PlainText
                color: "#202124"
                opacity: 0.75
            }
            ActionButton {
                objectName: "dismissAllRefusals"
                text: qsTr("Dismiss all")
                onClicked: bar.session.refusals.clear()
            }
        }
    }
}
