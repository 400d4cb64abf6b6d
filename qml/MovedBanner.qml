pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Inkroom.Client

// The room moved to another member's computer (a handover, or the host's computer vanished): said once, in plain
// words, until dismissed. The app followed it there by itself (RoomMoves); this only says so.
Rectangle {
    id: banner
    objectName: "movedBanner"

    required property Session session

    visible: session.moves.notice.length > 0
    implicitHeight: visible ? row.implicitHeight + 12 : 0
    color: "#e8f0fe"
    border.color: "#8ab4f8"
    Accessible.role: Accessible.AlertMessage
    Accessible.name: session.moves.notice

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.margins: 6
        anchors.leftMargin: 12
        spacing: 8
        Label {
            objectName: "movedNotice"
            Layout.fillWidth: true
            text: banner.session.moves.notice
            textFormat: Text.PlainText
            wrapMode: Text.WordWrap
            color: "#174ea6"
        }
        ActionButton {
            objectName: "dismissMovedButton"
            flat: true
            text: qsTr("OK")
            palette.buttonText: "#174ea6" // the banner is light in dark themes too
            onClicked: banner.session.moves.dismissNotice()
        }
    }
}
