pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Window
import Inkroom.Ui

// The window: the start page, and the room page on top of it while App is in a room. App decides; this follows.
ApplicationWindow {
    id: window

    width: App.windowGeometry.width > 0 ? App.windowGeometry.width : 1280
    height: App.windowGeometry.height > 0 ? App.windowGeometry.height : 800
    minimumWidth: 720
    minimumHeight: 480
    // Hidden only while a room is served in the background from the system tray.
    visible: !App.windowHidden
    title: App.page === App.Room ? qsTr("%1 — Inkroom").arg(App.roomName) : qsTr("Inkroom")

    Component.onCompleted: {
        if (App.windowGeometry.width > 0) {
            x = App.windowGeometry.x
            y = App.windowGeometry.y
        }
        if (App.windowMaximized)
            showMaximized()
        showPage(StackView.Immediate)
    }
    onClosing: (close) => {
        App.windowMaximized = window.visibility === Window.Maximized
        if (window.visibility === Window.Windowed)
            App.windowGeometry = Qt.rect(window.x, window.y, window.width, window.height)
        // While a room is hosted here App asks first (keep serving, or close it for everyone).
        close.accepted = App.quit()
    }

    Shortcut {
        sequences: [StandardKey.Quit]
        context: Qt.ApplicationShortcut
        onActivated: App.quit()
    }

    //! Show the page App is on: the room page over the start page, or the start page alone.
    function showPage(operation: int) {
        if (App.page === App.Room && stack.depth === 1)
            stack.push(roomComponent, {}, operation)
        else if (App.page === App.Start && stack.depth > 1)
            stack.pop(null, operation)
    }

    Connections {
        target: App
        function onPageChanged() { window.showPage(App.page === App.Room ? StackView.PushTransition : StackView.PopTransition) }
    }

    StackView {
        id: stack
        objectName: "stack"
        anchors.fill: parent
        initialItem: StartPage {}
    }

    Component {
        id: roomComponent
        RoomPage {}
    }

    LeaveHostDialog {}
}
