pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Inkroom.Ui

// A room opened before, as a card: the whole card opens it again (click, Space or Return), the cross forgets it. It
// says where the room stands now (hosted here, or on this network with its people) and when it was last opened.
AbstractButton {
    id: card

    required property string link
    required property string server
    required property string room
    required property bool hosted
    required property bool onNetwork
    required property string stateText
    required property string lastOpenedText

    //! Ask the page to open the room again (the page saves the name first).
    signal openRequested(string link)

    objectName: "recentRoomCard"
    focusPolicy: Qt.StrongFocus
    implicitWidth: 260
    implicitHeight: Math.max(content.implicitHeight + 32, 96)
    hoverEnabled: true
    onClicked: card.openRequested(card.link)
    Keys.onReturnPressed: card.openRequested(card.link)
    Keys.onEnterPressed: card.openRequested(card.link)

    Accessible.role: Accessible.Button
    Accessible.name: qsTr("Open %1").arg(card.room)
    Accessible.description: [card.hosted ? qsTr("on this computer") : card.server, card.stateText, card.lastOpenedText]
        .filter(part => part.length > 0).join(", ")

    ToolTip.visible: hovered && !forget.hovered
    ToolTip.delay: 700
    ToolTip.text: card.hosted ? qsTr("Host “%1” again: its board and chat are kept on this computer").arg(card.room)
                              : qsTr("Join “%1” again").arg(card.room)

    background: StartCard {
        focusRing: card.visualFocus
        tint: card.down ? 0.14 : card.hovered ? 0.06 : 0
    }

    contentItem: Item {
        ColumnLayout {
            id: content
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.top: parent.top
            anchors.margins: 16
            anchors.rightMargin: 36
            spacing: 4
            Label {
                text: card.room
                textFormat: Text.PlainText
                font.pixelSize: 15
                font.weight: Font.DemiBold
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
            Label {
                text: card.hosted ? qsTr("On this computer") : card.server.replace(/^wss?:\/\//, "")
                textFormat: Text.PlainText
                elide: Text.ElideMiddle
                opacity: 0.65
                font.pixelSize: 12
                Layout.fillWidth: true
            }
            RowLayout {
                visible: card.stateText.length > 0
                spacing: 6
                Layout.fillWidth: true
                Layout.topMargin: 4
                Rectangle {
                    width: 8
                    height: 8
                    radius: 4
                    color: card.onNetwork ? "#2e7d32" : card.palette.highlight
                    Layout.alignment: Qt.AlignVCenter
                }
                Label {
                    text: card.stateText
                    textFormat: Text.PlainText
                    elide: Text.ElideRight
                    font.pixelSize: 12
                    Layout.fillWidth: true
                }
            }
            Label {
                visible: text.length > 0
                text: card.lastOpenedText
                textFormat: Text.PlainText
                opacity: 0.55
                font.pixelSize: 12
                Layout.fillWidth: true
            }
        }
        ActionButton {
            id: forget
            objectName: "forgetRecent"
            anchors.right: parent.right
            anchors.top: parent.top
            anchors.margins: 6
            flat: true
            text: "✕"
            implicitWidth: 30
            implicitHeight: 30
            focusPolicy: Qt.StrongFocus
            onClicked: App.recentRooms.forget(card.link)
            ToolTip.visible: hovered || visualFocus
            ToolTip.text: qsTr("Forget this room")
            Accessible.name: qsTr("Forget %1").arg(card.room)
        }
    }
}
