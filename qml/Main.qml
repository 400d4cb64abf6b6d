pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Window
import Inkroom.Ui

// The window: the start page, and the room page on top of it while App is in a room. App decides; this follows.
ApplicationWindow {
    id: window

    // Never larger than the screen (at 2x a 1280 x 800 window is 2560 x 1600 pixels): what is available, less a margin.
    readonly property int availableWidth: Screen.desktopAvailableWidth > 0 ? Screen.desktopAvailableWidth - 40 : 1280
    readonly property int availableHeight: Screen.desktopAvailableHeight > 0 ? Screen.desktopAvailableHeight - 40 : 800
    width: Math.min(App.windowGeometry.width > 0 ? App.windowGeometry.width : 1280, availableWidth)
    height: Math.min(App.windowGeometry.height > 0 ? App.windowGeometry.height : 800, availableHeight)
    minimumWidth: Math.min(720, availableWidth)
    minimumHeight: Math.min(480, availableHeight)
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

    // In a room, Quit is the menu bar's (Room, Ctrl+Q): one owner per key.
    Shortcut {
        sequence: "Ctrl+Q"
        enabled: App.page !== App.Room
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
