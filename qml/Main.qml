pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Window
import Inkroom.Ui

ApplicationWindow {
    id: window

    width: App.windowGeometry.width > 0 ? App.windowGeometry.width : 1280
    height: App.windowGeometry.height > 0 ? App.windowGeometry.height : 800
    minimumWidth: 720
    minimumHeight: 480
    visible: true
    title: stack.currentItem && stack.currentItem.roomTitle ? qsTr("%1 — Inkroom").arg(stack.currentItem.roomTitle)
                                                              : qsTr("Inkroom")

    Component.onCompleted: {
        if (App.windowGeometry.width > 0) {
            x = App.windowGeometry.x
            y = App.windowGeometry.y
        }
        if (App.windowMaximized)
            showMaximized()
        if (App.startupLink.length > 0) {
            const target = App.parseLink(App.startupLink)
            if (target.valid)
                openRoom(target.server, target.room, "", false, StackView.Immediate, target.token)
        } else if (App.startupHost) {
            startPage.hostRoom(App.startupRoom.length > 0 ? App.startupRoom : App.suggestRoomName(), "")
        }
    }
    onClosing: {
        App.windowMaximized = window.visibility === Window.Maximized
        if (window.visibility === Window.Windowed)
            App.windowGeometry = Qt.rect(window.x, window.y, window.width, window.height)
    }

    function openRoom(server: string, room: string, password: string, hosting: bool, operation: int, token: string) {
        App.rememberRoom(server, room)
        // The room this app hosts is its own server: its certificate is known, nobody has to be asked to trust it.
        stack.push(roomComponent, { server: server, room: room, password: password, hosting: hosting, token: token,
                                    expectedFingerprint: hosting ? App.host.fingerprint : "" }, operation)
    }

    StackView {
        id: stack
        objectName: "stack"
        anchors.fill: parent
        initialItem: StartPage {
            id: startPage
            onJoinRequested: (server, room, password, token) => window.openRoom(server, room, password, false, StackView.PushTransition, token)
            onHostedRoomReady: (server, room, password) => window.openRoom(server, room, password, true, StackView.PushTransition, "")
        }
    }

    Component {
        id: roomComponent
        RoomPage {
            onLeaveRequested: {
                if (hosting)
                    App.host.stop()
                stack.pop()
            }
        }
    }
}
