//! The article list: the articles of the selected item and period (date, source, title,
//! mentions), sortable by any column, virtualised so only visible rows are laid out. Selecting a
//! row (click or arrow keys) opens it in the viewer. Articles stored since the user's previous
//! visit to the folder are marked "new". The rows' metadata is read from the store on a worker.

use egui_extras::{Column, TableBuilder};

use super::commands::Command;
use super::jobs::Row;
use super::state::{Selection, Session};
use super::{PresswatchApp, chart, jobs};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortColumn {
    #[default]
    Date,
    Source,
    Title,
    Mentions,
}

impl SortColumn {
    const ALL: [SortColumn; 4] = [Self::Date, Self::Source, Self::Title, Self::Mentions];

    fn name(self) -> &'static str {
        match self {
            Self::Date => "Date",
            Self::Source => "Source",
            Self::Title => "Title",
            Self::Mentions => "Mentions",
        }
    }
}

pub fn show(ui: &mut egui::Ui, session: &Session, commands: &mut Vec<Command>) {
    let Some(selection) = &session.selection else {
        ui.add_space(6.0);
        ui.weak("Click a point on the chart to see its articles, sources, entities and mentions.");
        return;
    };
    ui.horizontal_wrapped(|ui| {
        ui.strong(&selection.label);
        ui.label(format!("{} – {}: {} articles", selection.first, selection.last, session.rows.len()));
        if session.rows_loading.is_some() {
            ui.spinner();
        }
        let new = session.rows.iter().filter(|r| r.new).count();
        if new > 0 {
            ui.weak(format!("({new} new since your last visit)"));
        }
    });
    let (sorted_by, ascending) = session.sort;
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    let mut table = TableBuilder::new(ui)
        .id_salt("articles")
        .striped(true)
        .sense(egui::Sense::click())
        .auto_shrink(false)
        .column(Column::exact(92.0))
        .column(Column::initial(130.0).at_least(60.0).clip(true).resizable(true))
        .column(Column::remainder().at_least(120.0).clip(true))
        .column(Column::exact(72.0));
    if session.scroll_to_row
        && let Some(row) = session.selected_row
    {
        table = table.scroll_to_row(row, None);
    }
    table
        .header(row_height, |mut header| {
            for column in SortColumn::ALL {
                header.col(|ui| {
                    let arrow = match (column == sorted_by, ascending) {
                        (false, _) => "",
                        (true, true) => " (asc)",
                        (true, false) => " (desc)",
                    };
                    if ui
                        .button(format!("{}{arrow}", column.name()))
                        .on_hover_text("Sort by this column; click again to reverse")
                        .clicked()
                    {
                        commands.push(Command::Sort(column));
                    }
                });
            }
        })
        .body(|body| {
            body.rows(row_height, session.rows.len(), |mut row| {
                let i = row.index();
                let Row { mentions, meta, new, copies, .. } = &session.rows[i];
                row.set_selected(session.selected_row == Some(i));
                let cell = |ui: &mut egui::Ui, text: &str| {
                    ui.add(egui::Label::new(text).selectable(false).truncate());
                };
                row.col(|ui| {
                    let day = meta.day().map(|d| d.to_string()).unwrap_or_default();
                    cell(ui, &day);
                });
                row.col(|ui| cell(ui, &meta.outlet().unwrap_or_default()));
                row.col(|ui| {
                    ui.horizontal(|ui| {
                        if *new {
                            ui.label(egui::RichText::new("new").small().strong().color(ui.visuals().warn_fg_color))
                                .on_hover_text("Stored since your last visit to this folder");
                        }
                        if !copies.is_empty() {
                            let n = copies.len();
                            let label = if n == 1 { "1 copy".to_string() } else { format!("{n} copies") };
                            ui.menu_button(egui::RichText::new(label).small(), |ui| {
                                ui.weak("The same story elsewhere, not counted again:");
                                for (article, name) in copies {
                                    if ui.button(name).clicked() {
                                        commands.push(Command::OpenArticle(*article));
                                        ui.close();
                                    }
                                }
                            })
                            .response
                            .on_hover_text("Copies of this story (syndicated or reprinted), counted once");
                        }
                        cell(ui, &meta.title);
                    });
                });
                row.col(|ui| cell(ui, &mentions.to_string()));
                if row.response().clicked() {
                    commands.push(Command::SelectRow(i));
                }
            });
        });
}

impl PresswatchApp {
    /// Lists the articles of watch item `item` in period `period` of the chart.
    pub(super) fn select_point(&mut self, item: usize, period: usize) {
        let (Some(chart), Some(watch)) = (&self.session.chart, self.settings.watchlist.get(item)) else {
            return;
        };
        let trends = &chart.trends;
        let (Some(first), Some(last)) = (trends.periods.get(period), trends.period_end(period)) else {
            return;
        };
        // A period can start before the chosen date range or end after it: list only what the
        // chart counted.
        let first = self.settings.from.map_or(*first, |f| f.max(*first));
        let last = self.settings.to.map_or(last, |t| t.min(last));
        self.session.selection = Some(Selection {
            key: watch.key(),
            label: format!("{} · {}", watch.label, chart::period_name(trends, period)),
            first,
            last,
        });
        self.session.selected_row = None;
        self.session.rows.clear();
        self.relist_rows();
    }

    /// Lists the selection's articles (again, after the index changed) on a worker.
    pub(super) fn relist_rows(&mut self) {
        let (Some(index), Some(selection)) = (self.session.index.clone(), &self.session.selection) else {
            return;
        };
        let Some(counted) = self.session.counts.get(&selection.key) else {
            return;
        };
        let hits = index.hits_between(&counted.hits, selection.first, selection.last);
        self.session.next_request += 1;
        let request = self.session.next_request;
        self.session.rows_loading = Some(request);
        let new_since = self.session.folder.as_ref().and_then(|f| f.new_since);
        let filter = self.article_filter();
        self.reset_tabs();
        self.spawn("rows", move || jobs::rows(request, &index, &hits, filter.as_ref(), new_since));
    }

    pub(super) fn rows_loaded(&mut self, request: u64, rows: Vec<Row>) {
        if self.session.rows_loading != Some(request) {
            return;
        }
        self.session.rows_loading = None;
        self.session.rows = rows;
        // The open article keeps its row when the list is made again.
        let open = self.session.viewer.as_ref().map(|v| v.id.clone());
        self.session.selected_row = open.and_then(|id| self.session.rows.iter().position(|r| r.meta.id == id));
        self.sort_rows();
    }

    pub(super) fn sort_rows(&mut self) {
        let (column, ascending) = self.session.sort;
        let selected = self.session.selected_row.and_then(|r| self.session.rows.get(r)).map(|r| r.meta.id.clone());
        let rows = &mut self.session.rows;
        // The article id breaks ties, so the order never depends on where the store put them.
        match column {
            SortColumn::Date => {
                rows.sort_by(|x, y| (x.meta.published, &x.meta.id).cmp(&(y.meta.published, &y.meta.id)))
            }
            SortColumn::Source => {
                rows.sort_by(|x, y| (x.meta.outlet(), &x.meta.id).cmp(&(y.meta.outlet(), &y.meta.id)))
            }
            SortColumn::Title => rows.sort_by(|x, y| (&x.meta.title, &x.meta.id).cmp(&(&y.meta.title, &y.meta.id))),
            SortColumn::Mentions => rows.sort_by(|x, y| {
                (x.mentions, std::cmp::Reverse(&x.meta.id)).cmp(&(y.mentions, std::cmp::Reverse(&y.meta.id)))
            }),
        }
        if !ascending {
            rows.reverse();
        }
        self.session.selected_row = selected.and_then(|id| rows.iter().position(|r| r.meta.id == id));
        self.session.scroll_to_row = self.session.selected_row.is_some();
    }

    /// Selects row `row` and loads its article for the viewer on a worker.
    pub(super) fn select_row(&mut self, row: usize) {
        let Some(article) = self.session.rows.get(row).map(|r| r.article) else {
            return;
        };
        self.open_article(article);
        self.session.selected_row = Some(row);
    }

    /// Shows an article in the viewer; its row is selected when the list holds it.
    pub(super) fn open_article(&mut self, article: crate::core::index::ArticleIdx) {
        let Some(index) = self.session.index.clone() else {
            return;
        };
        let Some(id) = index.meta(article).map(|m| m.id) else {
            return;
        };
        self.session.selected_row = self.session.rows.iter().position(|r| r.article == article);
        self.session.next_request += 1;
        let request = self.session.next_request;
        self.session.viewer = Some(super::state::Viewer { article, id, request, loaded: None, open_at: None });
        self.spawn("article", move || jobs::load_article(request, &index, article));
    }
}
