pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Inkroom.Client

// On the board while following: "Following Ann — Stop"; after a pan or zoom by hand: "Follow again"; and why
// following ended, when the presenter left or let everybody go.
Pane {
    id: banner

    required property Following following

    readonly property bool showing: following.active || following.resumable || following.notice.length > 0
    visible: showing
    padding: 6
    leftPadding: 12
    rightPadding: 6
    background: Rectangle {
        radius: 8
        color: banner.following.active ? "#1565c0" : "#37474f"
        opacity: 0.94
    }

    RowLayout {
        spacing: 8
        Label {
            objectName: "followText"
            color: "white"
            textFormat: Text.PlainText
            font.weight: Font.DemiBold
            Layout.maximumWidth: 420
            elide: Text.ElideRight
            text: banner.following.active
                  ? (banner.following.summoned ? qsTr("Following %1 (they asked everyone)").arg(banner.following.presenterName)
                                               : qsTr("Following %1").arg(banner.following.presenterName))
                  : banner.following.resumable ? qsTr("You stopped following %1").arg(banner.following.presenterName)
                                               : banner.following.notice
        }
        Label {
            visible: banner.following.active
            text: "—"
            color: "white"
        }
        ActionButton {
            objectName: "followStopButton"
            visible: banner.following.active
            flat: true
            text: qsTr("Stop")
            palette.buttonText: "white"
            onClicked: banner.following.stop()
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Stop following (Esc); panning or zooming stops it too")
        }
        ActionButton {
            objectName: "followAgainButton"
            visible: banner.following.resumable
            flat: true
            text: qsTr("Follow again")
            palette.buttonText: "white"
            onClicked: banner.following.followAgain()
        }
        ToolButton {
            objectName: "followDismissButton"
            visible: !banner.following.active
            text: "✕"
            palette.buttonText: "white"
            onClicked: banner.following.dismiss()
            Accessible.name: qsTr("Dismiss")
        }
    }
}
