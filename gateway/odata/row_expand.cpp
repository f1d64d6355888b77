#include "gateway/odata/row_expand.hpp"

namespace jtgw::odata {

namespace json = boost::json;

namespace {

const json::array* array_at(const json_pointer& path, const json::value* in) {
    const json::value* v = in ? path.find(*in) : nullptr;
    return v ? v->if_array() : nullptr;
}

}  // namespace

item_rows::item_rows(const table_source& source, const json::value& listed, const json::value* parent)
    : rows_(source.rows ? &*source.rows : nullptr) {
    scope_.listed = &listed;
    scope_.parent = parent;
    if (rows_ == nullptr) return;
    if (rows_->each.size() == 2)
        outer_list_ = array_at(rows_->each[0], &listed);
    else
        list_ = array_at(rows_->each[0], &listed);
}

// Two levels: moves to the next outer element whose inner list has rows.
bool item_rows::enter_outer() {
    while (outer_list_ && next_outer_ < outer_list_->size()) {
        const json::value& outer = (*outer_list_)[next_outer_];
        scope_.outer = &outer;
        scope_.outer_position = next_outer_++;
        list_ = array_at(rows_->each[1], &outer);
        next_row_ = 0;
        if (list_ && !list_->empty()) return true;
    }
    return false;
}

bool item_rows::next() {
    if (rows_ == nullptr) {
        // The listed item is the one row.
        if (started_) return false;
        started_ = true;
        scope_.row = scope_.listed;
        return true;
    }
    if (!started_) {
        started_ = true;
        if (outer_list_ && !enter_outer()) return false;
    }
    while (!list_ || next_row_ >= list_->size())
        if (!outer_list_ || !enter_outer()) return false;
    scope_.position = next_row_;
    scope_.row = &(*list_)[next_row_++];
    return true;
}

std::size_t item_rows::skip(std::size_t n) {
    std::size_t done = 0;
    while (done < n && next()) ++done;
    return done;
}

std::size_t count_rows(const table_source& source, const json::value& listed) {
    if (!source.rows) return 1;
    if (source.rows->each.size() == 1) {
        const auto* list = array_at(source.rows->each[0], &listed);
        return list ? list->size() : 0;
    }
    std::size_t n = 0;
    if (const auto* outer = array_at(source.rows->each[0], &listed))
        for (const auto& element : *outer)
            if (const auto* inner = array_at(source.rows->each[1], &element)) n += inner->size();
    return n;
}

}  // namespace jtgw::odata
